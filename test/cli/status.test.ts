// `mode status` against records written by the records layer: what it says,
// its exit status, and that its JSON matches the published schema.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { MODE_TS, runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { degradedFromCompute, proven, transition, writeRecords } from './support/records.ts';
import { schemaErrors } from './support/schema.ts';

let dirs: CliDirs;
beforeEach(() => {
  dirs = cliDirs();
});
afterEach(() => dirs.cleanup());

async function status(): Promise<{ code: number | null; json: Record<string, unknown>; text: string }> {
  const json = await runCli(['status', '--json'], { env: dirs.env });
  const text = await runCli(['status'], { env: dirs.env });
  expect(text.code).toBe(json.code);
  const parsed = JSON.parse(json.stdout) as Record<string, unknown>;
  expect(schemaErrors('cli-status', parsed)).toEqual([]);
  return { code: json.code, json: parsed, text: text.stdout };
}

describe('mode status', () => {
  it('says nothing is observed yet on a fresh machine, exit unknown', async () => {
    const s = await status();
    expect(s.code).toBe(EXIT.unknown);
    expect(s.json).toMatchObject({ desired: null, observed: null, lastOutcome: null, pending: { pending: false, inFlight: false } });
    expect(s.text).toContain('nothing observed yet');
  });

  it('is in sync when the desired mode is observed and reconciled', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const s = await status();
    expect(s.code).toBe(EXIT.ok);
    expect(s.json).toMatchObject({ desired: { mode: 'desktop', generation: 1, requestedBy: 'tester' }, observed: { mode: 'desktop' }, pending: { pending: false } });
    expect(s.text).toMatch(/desired\s+desktop\s+generation 1/);
    expect(s.text).toContain('ActiveState=active');
  });

  it('is pending while a newer generation is not reconciled, and says why', async () => {
    await writeRecords(dirs, { desired: ['desktop', 'compute'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const s = await status();
    expect(s.code).toBe(EXIT.pending);
    const reasons = (s.json.pending as { reasons: string[] }).reasons;
    expect(reasons).toEqual(['generation 2 (compute) is requested and no run has reconciled it yet', 'desired compute, observed desktop']);
  });

  it('shows a blocked last run with its first failed predicate', async () => {
    await writeRecords(dirs, { desired: ['compute'], transition: transition('compute', 1, 'blocked'), observation: proven('desktop') });
    const s = await status();
    expect(s.code).toBe(EXIT.pending);
    expect(s.json).toMatchObject({ lastOutcome: { outcome: 'blocked', firstFailedPredicate: { code: 'audio-active' } } });
    expect(s.text).toContain('desired compute, observed desktop; the last run ended blocked');
    expect(s.text).toMatch(/first failed: audio-active: reaper is running/);
  });

  it('exits degraded and names each conflict', async () => {
    await writeRecords(dirs, { desired: ['compute'], transition: transition('compute', 1, 'degraded', degradedFromCompute), observation: degradedFromCompute });
    const s = await status();
    expect(s.code).toBe(EXIT.degraded);
    expect(s.text).toContain('degraded from compute');
    expect(s.text).toMatch(/conflict vllm-inactive +vllm.service is not active/);
  });

  it('takes the observed mode from the last run when no observation record is newer', async () => {
    await writeRecords(dirs, { desired: ['studio-local'], transition: transition('studio-local', 1, 'succeeded') });
    const s = await status();
    expect(s.code).toBe(EXIT.ok);
    expect(s.json).toMatchObject({ observed: { mode: 'studio-local', runId: 'run-1', observedAt: transition('studio-local', 1, 'succeeded').finishedAt } });
  });

  it('reports an unreadable record and goes on', async () => {
    await writeRecords(dirs, { desired: ['desktop'], observation: proven('desktop') });
    writeFileSync(join(dirs.runtimeDir, 'last-transition.json'), '{"schemaVersion": 1, "runId": 3');
    const s = await status();
    expect(s.json.problems).toEqual([{ file: join(dirs.runtimeDir, 'last-transition.json'), reason: expect.stringContaining('is not valid JSON') as unknown }]);
    expect(s.json).toMatchObject({ observed: { mode: 'desktop' }, lastOutcome: null });
    expect(s.text).toContain('unreadable');
    writeFileSync(join(dirs.runtimeDir, 'last-transition.json'), JSON.stringify({ ...transition('desktop', 1, 'succeeded'), outcome: 'won' }));
    const schema = await status();
    expect((schema.json.problems as { reason: string }[])[0]?.reason).toContain('does not match its schema at /outcome');
  });

  it('sees a run in flight from the kernel lock table', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const lock = join(dirs.runtimeDir, 'lock');
    writeFileSync(lock, '');
    // -F: flock(1) execs sleep, which holds the lock itself, so killing it frees the lock.
    const holder = spawn('flock', ['-F', lock, 'sleep', '30'], { stdio: 'ignore' });
    // what a run writes once it holds the lock (effects/records/lock.ts); killed, it leaves the note behind
    writeFileSync(join(dirs.runtimeDir, 'lock.holder.json'), JSON.stringify({ schemaVersion: 1, pid: holder.pid, runId: 'run-2', bootId: null, startedAt: new Date().toISOString() }));
    const listed = (): boolean => readFileSync('/proc/locks', 'utf8').includes(`:${statSync(lock).ino} `);
    try {
      for (let i = 0; i < 200 && !listed(); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(listed()).toBe(true);
      const s = await status();
      expect(s.json).toMatchObject({ pending: { pending: true, inFlight: true } });
      expect(s.code).toBe(EXIT.pending);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.on('close', r));
    }
    // the stale note of a killed run: the kernel, asked, says the lock is free
    const after = await status();
    expect(after.json).toMatchObject({ pending: { pending: false, inFlight: false }, lockHolder: null });
  });

  it.runIf(spawnSync('strace', ['-V']).status === 0)('does not ask the kernel when no holder note says a run may hold the lock', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    writeFileSync(join(dirs.runtimeDir, 'lock'), '');
    const traced = spawnSync('strace', ['-f', '-e', 'trace=openat', process.execPath, MODE_TS, 'status', '--json'], { env: { PATH: process.env.PATH, ...dirs.env }, encoding: 'utf8' });
    expect(traced.stderr).not.toContain('/proc/locks');
    expect(JSON.parse(traced.stdout)).toMatchObject({ pending: { inFlight: false } });
  });

  it('shows the facts once each with their sources below, and every line with --verbose', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const glance = await runCli(['status'], { env: dirs.env });
    const verbose = await runCli(['status', '--verbose'], { env: dirs.env });
    expect(glance.code).toBe(EXIT.ok);
    expect(verbose.code).toBe(EXIT.ok);
    expect(glance.stdout).toMatch(/^sources +\[1\] /m);
    expect(glance.stdout).toMatch(/observed +desktop +\S+ ago$/m);
    expect(verbose.stdout).not.toMatch(/^sources/m);
    expect(verbose.stdout).toMatch(/observed +desktop +at \d{4}-\d\d-\d\dT/);
  });

  it('says in one line that the config is broken and exits config, whatever the records say', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const config = dirs.env.DUBNIUM_CONFIG!;
    for (const [content, problem] of [
      [null, 'does not exist'],
      ['{"schemaVersion": 1,', 'JSON'],
      [JSON.stringify({ schemaVersion: 1 }), "does not match the config schema at (top level): must have required property 'hostname'"],
    ] as const) {
      if (content === null) rmSync(config);
      else writeFileSync(config, content);
      const r = await runCli(['status'], { env: dirs.env });
      expect(r.code).toBe(EXIT.config);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${config}: `);
      expect(r.stderr).toContain(problem);
    }
  });

  it('uses no colour when stdout is not a terminal', async () => {
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    const s = await status();
    expect(s.text).not.toContain('\u001b[');
  });
});
