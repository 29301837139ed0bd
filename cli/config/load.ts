// Loads the controller config for the verbs that need it: a thin IO shell
// (size cap, ownership when root) around the strict JSON reader and the zod
// schema. Every problem names the file, the JSON path and what to do.
// Belongs in effects/ once the records/observe layers grow a config reader.
import { readFile, stat } from 'node:fs/promises';
import { Config } from '../../schemas/config.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { parseStrictJson } from './json-text.ts';

export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  path: string;
  config: Config;
}

const fail = (path: string, problem: string, hints: string[] = []): CliError =>
  new CliError(EXIT.config, `${path}: ${problem}`, hints);

export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail(path, 'is not a regular file');
    if (info.size > MAX_CONFIG_BYTES) throw fail(path, `is ${info.size} bytes; a config may have at most ${MAX_CONFIG_BYTES}`);
    // The config directs root's actions: refuse one that someone else could have written.
    if (process.getuid?.() === 0 && (info.uid !== 0 || (info.mode & 0o022) !== 0)) {
      throw fail(path, `is ${info.uid === 0 ? 'writable by group or others' : `owned by uid ${info.uid}, not root`}; the controller acts as root on what it says`, [
        `fix it: chown root:root ${path} && chmod 644 ${path}`,
      ]);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw fail(path, 'does not exist', ['pass --config FILE or set DUBNIUM_CONFIG; on NixOS the dubnium module writes /etc/dubnium/config.json']);
    }
    if (code === 'EACCES') throw fail(path, 'is not readable by this user (permission denied)');
    throw fail(path, `cannot be read: ${(error as Error).message}`);
  }
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw fail(path, parsed.problem);
  const result = Config.safeParse(parsed.value);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 20).map((issue) => `at ${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    if (result.error.issues.length > 20) lines.push(`... and ${result.error.issues.length - 20} more`);
    throw fail(path, 'does not match the config schema (schemas/json/config.schema.json)', lines);
  }
  return { path, config: result.data };
}
