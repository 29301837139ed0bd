// The floor of one observation from Node: start node, run the same tool
// calls the observer makes (argv lists from the strace of `mode current
// --refresh`, given as JSON), all at once, and wait for them. Plain
// JavaScript on purpose: a .ts file would add type stripping to the floor.
//   node observe-floor.mjs '[["systemctl","show",...],["loginctl",...]]'
/* global AbortSignal */
import { execFile } from 'node:child_process';
import process from 'node:process';

const argvs = JSON.parse(process.argv[2] ?? '[]');
if (!Array.isArray(argvs) || argvs.length === 0) {
  process.stderr.write("usage: observe-floor.mjs <JSON list of argv lists> (bench/run.ts passes the observer's own calls)\n");
  process.exit(2);
}
const run = ([file, ...args]) =>
  new Promise((resolve) => execFile(file, args, { timeout: 30_000, signal: AbortSignal.timeout(60_000), maxBuffer: 64 << 20 }, (error) => resolve(error)));
const errors = (await Promise.all(argvs.map(run))).filter((e) => e && typeof e.code !== 'number');
if (errors.length > 0) {
  process.stderr.write(`${errors.map((e) => e.message).join('\n')}\n`);
  process.exit(1);
}
