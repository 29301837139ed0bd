// The config as `mode status` checks it: readable, JSON, and of the config's
// shape, through a precompiled validator, so status stays cheap (no zod). The
// refinements only zod states (a slice name ending in .slice, a safe path) are
// left to the verbs that act on the config and to `mode doctor`.
import { configShape } from './config-shape.generated.js';
import { configProblem, readConfigJson } from './config-file.ts';

/** Throws the config error (exit `config`) that the controller would meet, naming the first problem. */
export async function checkConfigShape(path: string): Promise<void> {
  const value = await readConfigJson(path);
  if (configShape(value)) return;
  const [first] = configShape.errors ?? [];
  const at = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
  throw configProblem(path, `does not match the config schema at ${at}: ${first?.message ?? 'invalid'}`, ['mode doctor lists every problem; the schema is schemas/json/config.schema.json']);
}
