// mode evidence [--output DIR]
import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ToolPaths } from '../../schemas/config.ts';
import { describeError } from '../../shared/describe-error.ts';
import type { Invocation } from '../command.ts';
import { readConfigJson } from '../config/config-file.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { version } from '../version.ts';
import { collectPiece, type PieceResult } from './collect.ts';
import { PIECES } from './pieces.ts';
import { bundleEntries, writeBundle } from './write.ts';

const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

// config.tools, when the config can be read at all: a broken config is itself evidence, and must not stop the rest.
// Read as every verb reads it (readConfigJson): as root, a config someone else could write names no program to run.
async function configTools(path: string): Promise<ToolPaths | undefined> {
  try {
    const parsed = (await readConfigJson(path)) as { tools?: unknown } | null;
    return typeof parsed?.tools === 'object' && parsed.tools !== null ? parsed.tools : undefined;
  } catch {
    return undefined;
  }
}

async function makeOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw new CliError(EXIT.cantCreate, `cannot make the folder ${dir}: ${describeError(error)}`, ['pass --output with a folder you can write']);
  }
  if ((await readdir(dir)).length > 0) throw new CliError(EXIT.usage, `${dir} is not empty; mode evidence writes a new folder`, ['pass --output with a folder that does not exist yet']);
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const configOption = optionValue(inv, 'config');
  const files = recordFiles(io.env, configOption);
  const createdAt = new Date();
  const dir = resolve(optionValue(inv, 'output') ?? `mode-evidence-${stamp(createdAt)}`);
  await makeOutputDir(dir);
  const { main } = await import('../main.ts');
  const ctx = { paths: files.paths, env: io.env as NodeJS.ProcessEnv, tools: await configTools(files.paths.configPath), configOption, runVerb: main };
  // one after another: the pieces are cheap, and a machine in trouble should not get nine tools at once
  const results: PieceResult[] = [];
  for (const piece of PIECES) results.push(await collectPiece(piece, ctx));
  const facts = { createdAt: createdAt.toISOString(), hostname: hostname(), uid: process.getuid?.() ?? null, modeVersion: version, nodeVersion: process.version };
  let archive: string;
  try {
    archive = await writeBundle(dir, bundleEntries(facts, results), createdAt);
  } catch (error) {
    throw new CliError(EXIT.cantCreate, `cannot write the bundle in ${dir}: ${describeError(error)}`);
  }
  const failed = results.filter((r) => r.note !== null || (r.exitCode !== null && r.exitCode !== 0));
  io.out(`${dir}\n${archive}\n`);
  if (failed.length > 0) io.err(`mode: ${failed.length} of ${results.length} pieces ended with an error (kept in the bundle): ${failed.map((r) => r.file).join(', ')}\n`);
  return EXIT.ok;
}
