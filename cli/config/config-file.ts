// Reading the config file as JSON, before any schema: the IO shell every
// reader shares (size cap, ownership when root, strict JSON), so `mode status`
// can check the file without loading zod and the controller's verbs with it.
// Every problem names the file and what to do.
// Sync, like cli/record-views/read.ts: node:fs/promises would load Node's streams on the path of `mode status`.
import { readFileSync, statSync } from 'node:fs';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { parseStrictJson } from './json-text.ts';
import { describeError } from '../../shared/describe-error.ts';

export const MAX_CONFIG_BYTES = 1024 * 1024;

export const configProblem = (path: string, problem: string, hints: string[] = []): CliError => new CliError(EXIT.config, `${path}: ${problem}`, hints);

/** The config file's JSON value; throws a config CliError when it cannot be read or is not JSON. */
export function readConfigJson(path: string): Promise<unknown> {
  // a throw inside the executor is the promise's rejection, as from the async function this was
  return new Promise((resolve) => resolve(readConfigJsonNow(path)));
}

function readConfigJsonNow(path: string): unknown {
  let text: string;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw configProblem(path, 'is not a regular file');
    if (info.size > MAX_CONFIG_BYTES) throw configProblem(path, `is ${info.size} bytes; a config may have at most ${MAX_CONFIG_BYTES}`);
    // The config directs root's actions: refuse one that someone else could have written.
    if (process.getuid?.() === 0 && (info.uid !== 0 || (info.mode & 0o022) !== 0)) {
      throw configProblem(path, `is ${info.uid === 0 ? 'writable by group or others' : `owned by uid ${info.uid}, not root`}; the controller acts as root on what it says`, [
        `fix it: chown root:root ${path} && chmod 644 ${path}`,
      ]);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw configProblem(path, 'does not exist', ['pass --config FILE or set DUBNIUM_CONFIG; on NixOS the dubnium module writes /etc/dubnium/config.json']);
    }
    if (code === 'EACCES') throw configProblem(path, 'is not readable by this user (permission denied)');
    throw configProblem(path, `cannot be read: ${describeError(error)}`);
  }
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw configProblem(path, parsed.problem);
  return parsed.value;
}
