#!/usr/bin/env node
// The `mode` command. This file stays small: main.ts parses argv against the
// command table and imports only the one verb module it needs, so that
// `mode status` never loads xstate, execa, ajv or zod.
import { enableCompileCache } from 'node:module';
import { compileCacheDir } from './compile-cache.ts';

// Before anything else is loaded, so every chunk after this one is cached.
const cacheDir = compileCacheDir(process.env, process.getuid?.() ?? null);
if (cacheDir !== null) enableCompileCache(cacheDir);

const argv = process.argv.slice(2);
// Built, this is dist/cli/mode-main.js, which mode.cjs imports only for the command lines that none of
// its single-file bundles run (cli/mode-bin.js); from source every command line comes here.
const { processIo } = await import('./io.ts');
const { main } = await import('./main.ts');

// A closed pipe (`mode history | head`) ends the command quietly: cli/std-write.ts.
process.exitCode = await main(argv, processIo());
