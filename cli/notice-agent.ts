#!/usr/bin/env node
// `notice-agent.js`: what dubnium-notice@<uid>.service runs as the session
// user while a switch counts down to ending that user's session. It shows the
// controller's warning on the user's session bus and writes what became of it
// (effects/notice/agent.ts). A separate entry from `mode`, so it loads neither
// the chart nor the records store.
//
//   node --jitless notice-agent.js [--request FILE]
//
// The answer goes to $RUNTIME_DIRECTORY (the unit's RuntimeDirectory=dubnium-notice/%i).
// first: zod's schemas must be built interpreted (cli/zod-interpreted.ts)
import './zod-interpreted.ts';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runNoticeAgent } from '../effects/notice/agent.ts';
import { runReadOnly } from '../effects/exec/run-read-only.ts';
import { DEFAULT_RUNTIME_DIR } from '../effects/records/paths.ts';
import { NOTICE_REQUEST_FILE } from '../schemas/notice.ts';
import { unitEntry, usageFailure } from './unit-entry.ts';

const USAGE = 'usage: notice-agent.js [--request FILE] (run by dubnium-notice@<uid>.service, with $RUNTIME_DIRECTORY set)';

const fail = usageFailure('notice-agent', USAGE);

function requestFrom(argv: readonly string[]): string {
  if (argv.length === 0) return join(DEFAULT_RUNTIME_DIR, NOTICE_REQUEST_FILE);
  if (argv.length !== 2 || argv[0] !== '--request' || !argv[1]!.startsWith('/')) fail(`unexpected arguments: ${argv.join(' ')}`);
  return argv[1]!;
}

const requestPath = requestFrom(process.argv.slice(2));
const { dir, uid, signal } = unitEntry(fail, 'dubnium-notice@<uid>.service', 'dubnium-notice/%i');
if (!process.env.XDG_RUNTIME_DIR && !process.env.DBUS_SESSION_BUS_ADDRESS) fail('neither $XDG_RUNTIME_DIR nor $DBUS_SESSION_BUS_ADDRESS is set, so busctl cannot find the session bus; the unit sets XDG_RUNTIME_DIR=/run/user/%i');

process.exitCode = await runNoticeAgent(
  { requestPath, dir, uid, user: userInfo().username, run: runReadOnly, env: process.env },
  signal,
  (line) => process.stdout.write(`${line}\n`),
);
