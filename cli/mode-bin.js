#!/usr/bin/env node
// The first file of `mode` (package.json's bin is dist/cli/mode.cjs, which the
// units run too; dist/cli/mode.js is the same file): it checks the Node version before
// anything Node 22 alone can load is parsed, so an old Node on PATH gets one
// line and exit 69 (tool missing) instead of a SyntaxError stack. Written in
// ES5 with a single import(), so that every Node from 10 on parses it; the
// real entry is cli/mode.ts (dist/cli/mode-main.js). Keep it that way: no
// const, no arrow, no static import, no import.meta.
//
// As mode.cjs it is CommonJS, and the read-only verbs (cli/read-only-path.ts)
// run from dist/cli/read-only.cjs by require(), without Node's ESM loader: a
// module entry point costs a cold `mode status` ~3 ms (docs/cli.md, "Speed").
// `current --refresh` (cli/observation-path.ts) runs from
// dist/cli/observation.cjs the same way, instead of ~20 ES module chunks, and
// what the units run (`run`, `boot`, `cancel`: cli/controller-path.ts) from
// dist/cli/controller.cjs, instead of ~46 (the units' ExecStart is mode.cjs).
// As mode.js (the package is "type": "module") it is an ES module, without
// require, and everything goes through mode-main.js.
/* global process, require */
/* eslint-disable @typescript-eslint/no-require-imports -- ES5 and, as mode.cjs, CommonJS on purpose (above) */
var REQUIRED_MAJOR = 22;
var EXIT_TOOL_MISSING = 69;
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write('mode needs Node ' + REQUIRED_MAJOR + ' or newer (found ' + process.version + ')\n');
  process.exit(EXIT_TOOL_MISSING);
}
var full = true;
if (typeof require === 'function') {
  var support = require('./bin-support.cjs');
  var cacheDir = support.compileCacheDir(process.env, process.getuid ? process.getuid() : null);
  if (cacheDir !== null) require('node:module').enableCompileCache(cacheDir);
  var argv = process.argv.slice(2);
  var bundle = support.takesReadOnlyPath(argv)
    ? './read-only.cjs'
    : support.takesObservationPath(argv)
      ? './observation.cjs'
      : support.takesControllerPath(argv)
        ? './controller.cjs'
        : null;
  if (bundle !== null) {
    full = false;
    var cli = require(bundle);
    cli.main(argv, cli.processIo()).then(function (code) {
      process.exitCode = code;
    });
  }
}
if (full) import('./mode-main.js');
