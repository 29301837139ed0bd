// Loads the controller config for the verbs that need it: the file's JSON
// (config-file.ts) checked by the zod schema. Every problem names the file,
// the JSON path and what to do.
import { Config } from '../../schemas/config.ts';
import { configProblem, readConfigJson } from './config-file.ts';

export interface LoadedConfig {
  path: string;
  config: Config;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const value = await readConfigJson(path);
  const result = Config.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 20).map((issue) => `at ${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    if (result.error.issues.length > 20) lines.push(`... and ${result.error.issues.length - 20} more`);
    throw configProblem(path, 'does not match the config schema (schemas/json/config.schema.json)', lines);
  }
  return { path, config: result.data };
}
