// mode debug parse <source> [FILE|-] [--fields a,b,c]: one observer parser on
// a saved output, printed as JSON (schemas/json/debug-parse.schema.json).
import { readFile } from 'node:fs/promises';
import { debugParse } from '../../effects/observe/debug-parse.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { optionValue } from '../parse.ts';
import { describeError } from '../../shared/describe-error.ts';

/** Saved tool outputs are small; a cap keeps a wrong file (a disk image) from eating memory. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

async function readInput(file: string | undefined, io: Io): Promise<string> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) throw new CliError(EXIT.dataError, `stdin is larger than ${MAX_INPUT_BYTES} bytes; is it really a saved tool output?`);
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this user' : code === 'EISDIR' ? 'is a folder' : describeError(error);
    throw new CliError(EXIT.noInput, `${file} ${why}`, ['name a saved tool output, or - to read stdin']);
  }
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const source = inv.args.source!;
  const fields = optionValue(inv, 'fields')?.split(',').map((f) => f.trim());
  const text = await readInput(inv.args.file, io);
  const result = debugParse(source, text, fields ? { fields } : {});
  if (!result.ok) {
    const where = result.line === null || result.message.includes(`line ${result.line}`) ? '' : ` (line ${result.line})`;
    const excerpt = result.excerpt.slice(0, 5).map((line) => `| ${line}`);
    // A parse failure names the source first; anything else is a misuse of the verb (e.g. --fields on XML).
    const parseFailed = result.message.startsWith(`${source}:`);
    throw new CliError(parseFailed ? EXIT.dataError : EXIT.usage, `${result.message}${where}`, excerpt);
  }
  writeJson(io, result.output);
  return EXIT.ok;
}
