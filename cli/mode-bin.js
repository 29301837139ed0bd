#!/usr/bin/env node
// The first file of `mode`, dist/cli/mode.cjs (package.json's bin and what
// the units run): it checks the Node version before anything Node 22 alone can
// load is parsed, so an old Node on PATH gets one line and exit 69 (tool
// missing) instead of a SyntaxError stack. Written in ES5 with a single
// import(), so that every Node from 10 on parses it; the real entry is
// cli/mode.ts (dist/cli/mode-main.js). Keep it that way: no const, no arrow,
// no static import, no import.meta.
//
// It is CommonJS, and three kinds of command line run from one bundled file
// each by require(), without Node's ESM loader (cli/bundle-path.ts says which):
// the read-only verbs from dist/cli/read-only.cjs, since a module entry point
// costs a cold `mode status` ~3 ms (docs/cli.md, "Speed"); `current --refresh`
// from dist/cli/observation.cjs, instead of ~20 ES module chunks; what the
// units run (`run`, `boot`, `cancel`) from dist/cli/controller.cjs, instead of
// ~46. Every other command line imports mode-main.js and its chunks.
/* global process, require */
/* eslint-disable @typescript-eslint/no-require-imports -- ES5 and CommonJS on purpose (above) */
var REQUIRED_MAJOR = 22;
var EXIT_TOOL_MISSING = 69;
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write('mode needs Node ' + REQUIRED_MAJOR + ' or newer (found ' + process.version + ')\n');
  process.exit(EXIT_TOOL_MISSING);
}
var support = require('./bin-support.cjs');
var cacheDir = support.compileCacheDir(process.env, process.getuid ? process.getuid() : null);
if (cacheDir !== null) require('node:module').enableCompileCache(cacheDir);
var argv = process.argv.slice(2);
var bundle = support.bundleFor(argv);
if (bundle !== null) {
  var cli = require('./' + bundle + '.cjs');
  cli.main(argv, cli.processIo()).then(function (code) {
    process.exitCode = code;
  });
} else {
  import('./mode-main.js');
}
