#!/usr/bin/env node
// `audio-state.js`: what dubnium-audio-state@<uid>.service runs as the session
// user. It publishes that user's playback streams for the root controller
// (effects/audio-state/publish.ts) until SIGTERM. A separate entry from
// `mode`, so the publisher loads neither the chart nor the records store.
//
//   node --jitless audio-state.js [--interval-ms N]
//
// The folder is $RUNTIME_DIRECTORY (the unit's RuntimeDirectory=dubnium-audio/%i).
// first: zod's schemas must be built interpreted (cli/zod-interpreted.ts)
import './zod-interpreted.ts';
import { runPublisher } from '../effects/audio-state/publish.ts';
import { runReadOnly } from '../effects/exec/run-read-only.ts';
import { PUBLISHER_PACTL_TIMEOUT_MS } from '../schemas/audio-state.ts';
import { unitEntry, usageFailure } from './unit-entry.ts';

const USAGE = 'usage: audio-state.js [--interval-ms N] (run by dubnium-audio-state@<uid>.service, with $RUNTIME_DIRECTORY set)';

const fail = usageFailure('audio-state', USAGE);

function intervalFrom(argv: readonly string[]): number {
  if (argv.length === 0) return 1000;
  if (argv.length !== 2 || argv[0] !== '--interval-ms') fail(`unexpected arguments: ${argv.join(' ')}`);
  const value = Number(argv[1]);
  if (!Number.isInteger(value) || value < 100 || value > 60_000) fail(`--interval-ms must be a whole number of milliseconds from 100 to 60000, not ${argv[1]}`);
  return value;
}

const intervalMs = intervalFrom(process.argv.slice(2));
const { dir, uid, signal } = unitEntry(fail, 'dubnium-audio-state@<uid>.service', 'dubnium-audio/%i');
if (!process.env.XDG_RUNTIME_DIR) fail('$XDG_RUNTIME_DIR is not set, so pactl cannot find the sound server; the unit sets it to /run/user/%i');

await runPublisher(
  { dir, uid, intervalMs, pactlTimeoutMs: PUBLISHER_PACTL_TIMEOUT_MS, run: runReadOnly, env: process.env },
  signal,
  (line) => process.stdout.write(`${line}\n`),
);
