// The forms of the `mode` command the bench measures, built fresh each run
// into node_modules/.cache/dubnium-bench (ignored by git; inside node_modules
// so that the built files resolve xstate, zod, ... from the repo):
//   shipped — what the package ships: `tsc -p tsconfig.build.json` output, run as dist/cli/mode.js
//   bundle  — an esbuild bundle of cli/mode.ts (code splitting keeps the lazy verb imports lazy)
//   source  — node running cli/mode.ts directly (type stripping), as developers and tests do
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

export const REPO = join(import.meta.dirname, '..', '..');
export const BUILD_ROOT = join(REPO, 'node_modules', '.cache', 'dubnium-bench');

export type FormName = 'shipped' | 'bundle' | 'source';

export interface CliForm {
  name: FormName;
  /** the entry file, relative to the repo */
  entry: string;
  description: string;
}

export interface BuiltForms {
  forms: CliForm[];
  /** JavaScript files the shipped build left out (copied in so it runs); empty when the build is complete */
  copiedIntoShipped: string[];
}

// tsconfig.build.json's include list; hand-written or generated .js files there are not emitted by tsc
const BUILD_DIRS = ['schemas', 'predicates', 'machines', 'effects', 'cli', 'simulation'];

// CommonJS dependencies bundled into ESM still call require() for node builtins
const REQUIRE_SHIM = "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

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
      code === 0 ? resolve() : reject(new Error(`npm run build's tsc -p tsconfig.build.json failed (exit ${String(code)}); fix the type errors first:\n${output.slice(-2000)}`)),
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
  const shippedDir = join(BUILD_ROOT, 'dist');
  await runTsc(shippedDir, signal);
  const copiedIntoShipped = copyUnemittedJs(shippedDir);

  const bundleDir = join(BUILD_ROOT, 'bundle');
  const result = await build({
    entryPoints: { mode: join(REPO, 'cli', 'mode.ts') },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_SHIM },
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(`esbuild could not bundle cli/mode.ts: ${result.errors.map((e) => e.text).join('; ')}`);

  return {
    copiedIntoShipped,
    forms: [
      { name: 'shipped', entry: relative(REPO, join(shippedDir, 'cli', 'mode.js')), description: "package.json's bin: tsc output (npm run build), unbundled" },
      { name: 'bundle', entry: relative(REPO, join(bundleDir, 'mode.mjs')), description: 'esbuild bundle of cli/mode.ts, minified, code-split (lazy verbs stay lazy)' },
      { name: 'source', entry: 'cli/mode.ts', description: 'node cli/mode.ts (type stripping, unbundled)' },
    ],
  };
}
