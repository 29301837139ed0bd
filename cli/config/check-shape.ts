// The config as `mode status` checks it: readable, JSON, and of the config's
// shape, so status stays cheap (no zod). The shape is checked like a record's
// view (cli/record-views/read.ts): the JSON Schema walked first, and ajv's
// precompiled validator loaded only to decide a no and name the problem. The
// refinements only zod states (a slice name ending in .slice, a safe path) are
// left to the verbs that act on the config and to `mode doctor`.
import { conforms } from '../record-views/schema-check.ts';
import { configProblem, readConfigJson } from './config-file.ts';
import { schemas } from './config-shape-schema.generated.js';

/** Throws the config error (exit `config`) that the controller would meet, naming the first problem. */
export async function checkConfigShape(path: string): Promise<void> {
  const value = await readConfigJson(path);
  if (conforms(schemas.configShape, value)) return;
  const { configShape } = await import('./config-shape.generated.js');
  if (configShape(value)) return;
  const [first] = configShape.errors ?? [];
  const at = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
  throw configProblem(path, `does not match the config schema at ${at}: ${first?.message ?? 'invalid'}`, ['mode doctor lists every problem; the schema is schemas/json/config.schema.json']);
}
