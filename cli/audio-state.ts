#!/usr/bin/env node
// `audio-state.js`: what dubnium-audio-state@<uid>.service runs as the session
// user. It publishes that user's playback streams for the root controller
// (effects/audio-state/publish.ts) until SIGTERM. A separate entry from
// `mode`, so the publisher loads neither the chart nor the records store.
//
//   node --jitless audio-state.js [--interval-ms N]
//
// The folder is $RUNTIME_DIRECTORY (the unit's RuntimeDirectory=dubnium-audio/%i).
import { runPublisher } from '../effects/audio-state/publish.ts';
import { runReadOnly } from '../effects/exec/run-read-only.ts';
import { PUBLISHER_PACTL_TIMEOUT_MS } from '../schemas/audio-state.ts';

const USAGE = 'usage: audio-state.js [--interval-ms N] (run by dubnium-audio-state@<uid>.service, with $RUNTIME_DIRECTORY set)';

function fail(message: string): never {
  process.stderr.write(`audio-state: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function intervalFrom(argv: readonly string[]): number {
  if (argv.length === 0) return 1000;
  if (argv.length !== 2 || argv[0] !== '--interval-ms') fail(`unexpected arguments: ${argv.join(' ')}`);
  const value = Number(argv[1]);
  if (!Number.isInteger(value) || value < 100 || value > 60_000) fail(`--interval-ms must be a whole number of milliseconds from 100 to 60000, not ${argv[1]}`);
  return value;
}

const intervalMs = intervalFrom(process.argv.slice(2));
const dir = process.env.RUNTIME_DIRECTORY?.split(':')[0];
if (!dir) fail('$RUNTIME_DIRECTORY is not set; run it from dubnium-audio-state@<uid>.service (RuntimeDirectory=dubnium-audio/%i)');
const uid = process.getuid?.();
if (uid === undefined) fail('this platform has no user ids');
if (!process.env.XDG_RUNTIME_DIR) fail('$XDG_RUNTIME_DIR is not set, so pactl cannot find the sound server; the unit sets it to /run/user/%i');

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort());
await runPublisher(
  { dir, uid, intervalMs, pactlTimeoutMs: PUBLISHER_PACTL_TIMEOUT_MS, run: runReadOnly, env: process.env },
  stop.signal,
  (line) => process.stdout.write(`${line}\n`),
);
