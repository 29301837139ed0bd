// Preloaded into a controller run (node --require): at exit, report this
// process's own peak resident set size. getrusage(RUSAGE_SELF) counts only
// node itself, unlike wait4's ru_maxrss (GNU time), which also folds in the
// largest child it reaped (here the node-based nvidia-smi stand-in).
// CommonJS, for --require: an --import preload starts Node's ESM loader in
// every run, which the controller's CommonJS bundle does not (issue 17).
/* global process, require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload on purpose (above) */
'use strict';
const { readFileSync } = require('node:fs');

process.on('exit', () => {
  let hwm = 'unknown';
  try {
    hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    // /proc hidden: ru_maxrss alone still answers
  }
  process.stderr.write(`dubnium-bench peak-rss maxrss-kib=${process.resourceUsage().maxRSS} vmhwm-kib=${hwm}\n`);
});
