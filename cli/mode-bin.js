#!/usr/bin/env node
// The first file of `mode` (package.json's bin, dist/cli/mode.js once built):
// it checks the Node version before anything Node 22 alone can load is
// parsed, so an old Node on PATH gets one line and exit 69 (tool missing)
// instead of a SyntaxError stack. Written in ES5 with a single import(), so
// that every Node from 10 on parses it; the real entry is cli/mode.ts
// (dist/cli/mode-main.js). Keep it that way: no const, no arrow, no static
// import, no import.meta.
/* global process */
var REQUIRED_MAJOR = 22;
var EXIT_TOOL_MISSING = 69;
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write('mode needs Node ' + REQUIRED_MAJOR + ' or newer (found ' + process.version + ')\n');
  process.exit(EXIT_TOOL_MISSING);
}
import('./mode-main.js');
