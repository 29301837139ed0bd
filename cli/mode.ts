#!/usr/bin/env node
// The `mode` command. This file stays small: main.ts parses argv against the
// command table and imports only the one verb module it needs, so that
// `mode status` never loads xstate, execa, ajv or zod.
import { enableCompileCache } from 'node:module';
import { compileCacheDir } from './compile-cache.ts';
import { takesReadOnlyPath } from './read-only-path.ts';

// Before anything else is loaded, so every chunk after this one is cached.
const cacheDir = compileCacheDir(process.env, process.getuid?.() ?? null);
if (cacheDir !== null) enableCompileCache(cacheDir);

const argv = process.argv.slice(2);
// Built, the read-only verbs' io and main are one bundled file (dist/cli/read-only.js) and the
// rest are code-split chunks; from source both are the same modules.
const { processIo, main } = takesReadOnlyPath(argv)
  ? await import('./read-only.ts')
  : { ...(await import('./io.ts')), ...(await import('./main.ts')) };

// A closed pipe (`mode history | head`) ends the command quietly: cli/std-write.ts.
process.exitCode = await main(argv, processIo());
