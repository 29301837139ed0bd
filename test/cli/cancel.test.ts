// mode cancel against the records it reads and writes: the countdown's
// notice.json beside the controller's records, and the refusal it leaves.
// (Run as root here; the session user's way through polkit and
// mode-cancel@<user>.service is shown in test/sandbox/e2e-notice.test.ts.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { NOTICE_REQUEST_FILE, REFUSAL_FILE, Refusal, type NoticeRequestFile } from '../../schemas/notice.ts';
import { runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';

const notice: NoticeRequestFile = {
  schemaVersion: 1,
  runId: 'run-7',
  target: 'compute',
  sessionId: '3',
  user: 'alice',
  uid: 1000,
  summary: 'Switching to compute in 60 s: your session will end',
  body: 'body',
  graceMs: 60_000,
  deadlineMonoMs: 1,
  requestedAt: '2026-12-03T10:00:00.000Z',
};

describe.runIf(process.getuid?.() === 0)('mode cancel (as root)', () => {
  let dirs: CliDirs;
  beforeEach(() => {
    dirs = cliDirs();
  });
  afterEach(() => dirs.cleanup());
  const refusal = () => Refusal.parse(JSON.parse(readFileSync(join(dirs.runtimeDir, REFUSAL_FILE), 'utf8')));

  it('with no countdown says there is nothing to cancel, exits 66 and writes nothing', async () => {
    const result = await runCli(['cancel'], { env: dirs.env });
    expect(result.code).toBe(EXIT.noInput);
    expect(result.stderr).toContain('nothing to cancel: no switch is counting down to end a session');
    expect(existsSync(join(dirs.runtimeDir, REFUSAL_FILE))).toBe(false);
  });

  it("refuses the countdown's own run, as root, and says whose session stays", async () => {
    writeFileSync(join(dirs.runtimeDir, NOTICE_REQUEST_FILE), JSON.stringify(notice));
    const result = await runCli(['cancel'], { env: dirs.env });
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toBe('refused: the switch to compute will not end the graphical session 3 of alice; run run-7 ends as canceled\n');
    expect(refusal()).toMatchObject({ runId: 'run-7', by: 'root', via: 'mode cancel' });
  });

  it('--by (what mode-cancel@<user>.service passes) refuses for the session user only', async () => {
    writeFileSync(join(dirs.runtimeDir, NOTICE_REQUEST_FILE), JSON.stringify(notice));
    const other = await runCli(['cancel', '--by', 'bob'], { env: dirs.env });
    expect(other.code).toBe(EXIT.denied);
    expect(other.stderr).toContain('bob may not cancel: the switch to compute ends the graphical session 3 of alice, and only its user or root may refuse it');
    expect(existsSync(join(dirs.runtimeDir, REFUSAL_FILE))).toBe(false);
    const bad = await runCli(['cancel', '--by', 'Al ice'], { env: dirs.env });
    expect(bad.code).toBe(EXIT.usage);
    const alice = await runCli(['cancel', '--by', 'alice'], { env: dirs.env });
    expect(alice.code, alice.stderr).toBe(EXIT.ok);
    expect(refusal()).toMatchObject({ runId: 'run-7', by: 'alice', via: 'mode cancel' });
  });

  it('a notice.json that is not the countdown\'s format is a data error, and nothing is refused', async () => {
    writeFileSync(join(dirs.runtimeDir, NOTICE_REQUEST_FILE), '{"schemaVersion":1}');
    const result = await runCli(['cancel'], { env: dirs.env });
    expect(result.code).toBe(EXIT.dataError);
    expect(existsSync(join(dirs.runtimeDir, REFUSAL_FILE))).toBe(false);
  });
});
