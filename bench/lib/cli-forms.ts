// The forms of the `mode` command the bench measures, built fresh each run
// into node_modules/.cache/dubnium-bench (ignored by git; inside node_modules
// so that the tsc build resolves xstate, zod, ... from the repo):
//   shipped — scripts/build-cli.ts's esbuild bundles (minified), run as
//             dist/cli/mode.cjs (package.json's bin)
//   tsc     — what `npm run build:lib` (tsc -p tsconfig.build.json) makes
//   source  — node running cli/mode.ts directly (type stripping), as developers and tests do
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildCli } from '../../scripts/build-cli.ts';

export const REPO = join(import.meta.dirname, '..', '..');
export const BUILD_ROOT = join(REPO, 'node_modules', '.cache', 'dubnium-bench');

export type FormName = 'shipped' | 'tsc' | 'source';

export interface CliForm {
  name: FormName;
  /** the entry file, relative to the repo */
  entry: string;
  description: string;
}

export interface BuiltForms {
  forms: CliForm[];
  /** JavaScript files `npm run build:lib` (tsc) left out (copied in so it runs); empty when its build is complete */
  copiedIntoTsc: string[];
}

// tsconfig.build.json's include list; hand-written or generated .js files there are not emitted by tsc
const BUILD_DIRS = ['schemas', 'predicates', 'machines', 'effects', 'cli', 'simulation'];

function runTsc(outDir: string, signal: AbortSignal): Promise<void> {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', outDir], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10 * 60_000,
      signal,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build:lib's tsc -p tsconfig.build.json failed (exit ${String(code)}); fix the type errors first:\n${output.slice(-2000)}`)),
    );
  });
}

function jsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Copies the .js sources tsc does not emit (it has no allowJs); returns their repo paths. */
function copyUnemittedJs(outDir: string): string[] {
  const copied: string[] = [];
  for (const file of BUILD_DIRS.flatMap((d) => jsFilesUnder(join(REPO, d)))) {
    const rel = relative(REPO, file);
    const target = join(outDir, rel);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied.push(rel);
  }
  return copied;
}

export async function buildForms(signal: AbortSignal): Promise<BuiltForms> {
  rmSync(BUILD_ROOT, { recursive: true, force: true });
  const tscDir = join(BUILD_ROOT, 'tsc');
  await runTsc(tscDir, signal);
  const copiedIntoTsc = copyUnemittedJs(tscDir);

  const shippedDir = join(BUILD_ROOT, 'shipped');
  await buildCli(join(shippedDir, 'cli'));
  // dist/ sits in the package, whose package.json says "type": "module"; here the
  // nearest one would be past node_modules, where Node stops looking
  writeFileSync(join(shippedDir, 'package.json'), '{ "type": "module" }\n');

  return {
    copiedIntoTsc,
    forms: [
      // package.json's bin and what the units run is mode.cjs (CommonJS: the read-only, observation and controller bundles by require())
      { name: 'shipped', entry: relative(REPO, join(shippedDir, 'cli', 'mode.cjs')), description: "scripts/build-cli.ts: esbuild bundles, minified (package.json's bin, dist/cli/mode.cjs)" },
      { name: 'tsc', entry: relative(REPO, join(tscDir, 'cli', 'mode.js')), description: 'npm run build:lib: tsc -p tsconfig.build.json, one file per module' },
      { name: 'source', entry: 'cli/mode.ts', description: 'node cli/mode.ts (type stripping, unbundled)' },
    ],
  };
}
