// What npm run build makes (scripts/build-cli.ts), built into a temporary
// package folder: dist/cli's place in the package, whose package.json says
// "type": "module", so the chunks are ES modules and the .cjs files CommonJS. And
// which of its files a run loaded by require(), for the tests that keep each
// single-file path to its one file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildCli } from '../../../scripts/build-cli.ts';
import { cliDirs, type CliDirs } from './dirs.ts';

export interface BuiltPackage {
  /** the built dist/cli */
  outdir: string;
  cleanup(): void;
}

export async function buildPackage(label: string): Promise<BuiltPackage> {
  const pkg = mkdtempSync(join(tmpdir(), `dubnium-${label}-`));
  writeFileSync(join(pkg, 'package.json'), '{ "type": "module" }\n');
  const outdir = join(pkg, 'cli');
  await buildCli(outdir);
  return { outdir, cleanup: () => rmSync(pkg, { recursive: true, force: true }) };
}

/** Writes, into dir, a --require preload that prints require.cache's keys as the last line of stderr at exit; returns its path. */
export function requireCacheLister(dir: string): string {
  const path = join(dir, 'cjs-list.cjs');
  writeFileSync(path, "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache)) + '\\n'));\n");
  return path;
}

/** The built files the lister saw loaded, relative to outdir, sorted. */
export function requiredFiles(stderr: string, outdir: string): string[] {
  const listed = JSON.parse(stderr.trim().split('\n').at(-1)!) as string[];
  return listed
    .filter((f) => f.startsWith(outdir))
    .map((f) => f.slice(outdir.length + 1))
    .sort();
}

/**
 * For a test file: the built package and fresh CLI folders (the example config
 * in them), made before its tests and removed after them.
 */
export function useBuiltPackage(label: string): { readonly outdir: string; readonly dirs: CliDirs } {
  let built: BuiltPackage | undefined;
  let dirs: CliDirs | undefined;
  beforeAll(async () => {
    dirs = cliDirs();
    built = await buildPackage(label);
  }, 120_000);
  afterAll(() => {
    dirs?.cleanup();
    built?.cleanup();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useBuiltPackage: read outdir and dirs inside a test, after beforeAll');
    return value;
  };
  return {
    get outdir() {
      return ready(built).outdir;
    },
    get dirs() {
      return ready(dirs);
    },
  };
}
