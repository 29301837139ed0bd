// Issue 7, level-triggered: the controller reconciles to the newest desired
// mode; a run on a machine already there issues ZERO mutating systemctl or
// loginctl calls (counted by wrappers the controller runs instead of the real
// tools, through the config's `tools` override); two requests 100 ms apart
// are serialized by the lock and the newest wins, with no interleaved
// actions; two starts of the same instance are merged by PID 1 into one run;
// a start nobody recorded (a member of modectl) is a request of its own; a
// request merged by PID 1 into a running run of its mode gets a run too.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModeName } from '../../schemas/names.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { runCli } from '../cli/support/cli.ts';
import { auditEvents, lastRecord, runClean, unitOf, waitForRunsToEnd } from './crash.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, cliEnvFor, type ControllerSandbox } from './e2e.ts';
import { INSIDE_DIR } from './layout.ts';
import { describeWhen, findOnPath, sandboxPrerequisites } from './prerequisites.ts';

const COUNT_DIR = 'count';
const CALLS_INSIDE = `${INSIDE_DIR}/${COUNT_DIR}/calls.log`;
// what the observers run; everything else a controller runs changes the machine
const READ_ONLY = new Set(['show', 'status', 'list-units', 'list-jobs', 'is-active', 'is-failed', 'cat', 'list-sessions', 'show-session', 'show-user', 'show-seat', 'list-users', 'session-status']);

const SLOW_INSIDE = `${INSIDE_DIR}/${COUNT_DIR}/slow`;

function wrapper(tool: string, real: string): string {
  return [
    '#!/bin/sh',
    `# counts every call the controller makes, then runs the real ${tool}`,
    `printf '%s %s\\n' ${tool} "$*" >> ${CALLS_INSIDE}`,
    `# while ${SLOW_INSIDE} exists, a switch's starts and property changes take 2 s longer`,
    `case " $* " in *" start "*|*" set-property "*) [ -e ${SLOW_INSIDE} ] && sleep 2;; esac`,
    `exec ${real} "$@"`,
    '',
  ].join('\n');
}

/** The sandbox's config for the CLI outside: the counting wrappers exist only inside. */
function cliConfig(sandboxDir: string): string {
  const config = JSON.parse(readFileSync(join(sandboxDir, 'config.json'), 'utf8')) as { tools: Record<string, string> };
  const { systemctl: _s, loginctl: _l, ...tools } = config.tools;
  const path = join(sandboxDir, 'cli-config.json');
  writeFileSync(path, JSON.stringify({ ...config, tools }));
  return path;
}

describeWhen(sandboxPrerequisites(), 'end to end: level-triggered runs (zero calls when already there, newest request wins)', () => {
  let sandbox: ControllerSandbox;
  let countDir: string;
  const calls = (): string[] => {
    try {
      return readFileSync(join(countDir, 'calls.log'), 'utf8').split('\n').filter((l) => l !== '');
    } catch {
      return [];
    }
  };
  const mutating = (lines: string[]): string[] =>
    lines.filter((line) => {
      const verb = line.split(' ').slice(1).find((w) => !w.startsWith('-'));
      return verb === undefined || !READ_ONLY.has(verb);
    });

  beforeAll(async () => {
    const inside = (tool: string) => `${INSIDE_DIR}/${COUNT_DIR}/${tool}`;
    sandbox = await bootControllerSandbox({
      config: (c) => ({ ...c, tools: { ...c.tools, systemctl: inside('systemctl'), loginctl: inside('loginctl') } }),
      // mode-boot.service off: config.tools names counting wrappers that exist only once the sandbox is up,
      // so `mode boot` at boot could not start anything (e2e-mode-holds.test.ts boots with it)
      bootProgram: null,
      // the controller's file system is read-only (ProtectSystem=strict) except what this drop-in opens for the counter
      dropIns: [{ unit: 'mode-controller@.service', sections: { Service: [`ReadWritePaths=-${INSIDE_DIR}/${COUNT_DIR}`] } }],
    });
    countDir = join(sandbox.dir, COUNT_DIR);
    mkdirSync(countDir, { recursive: true });
    for (const tool of ['systemctl', 'loginctl']) {
      const real = findOnPath(tool);
      if (!real) throw new Error(`${tool} not on PATH`);
      writeFileSync(join(countDir, tool), wrapper(tool, real));
      chmodSync(join(countDir, tool), 0o755);
    }
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const counted = async (mode: ModeName) => {
    const before = calls().length;
    const { record } = await runClean(sandbox, mode);
    const made = calls().slice(before);
    return { record, all: made, mutating: mutating(made) };
  };

  it('a run on a machine already in the mode makes zero mutating calls; a switch makes them (the counter sees them)', async () => {
    const boot = await counted('desktop');
    expect(boot.record.outcome).toBe('noop');
    expect(boot.all.length).toBeGreaterThan(0);
    expect(boot.mutating).toEqual([]);

    const studio = await counted('studio-local');
    expect(studio.record.outcome).toBe('succeeded');
    expect(studio.mutating.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'systemctl set-property',
      'systemctl set-property',
      'systemctl set-property',
      'systemctl start',
      'systemctl start',
    ]);

    const again = await counted('studio-local');
    expect(again.record.outcome).toBe('noop');
    expect(again.mutating).toEqual([]);
  }, 300_000);

  it('two requests 100 ms apart are serialized by the lock and the newest wins, with no interleaved actions', async () => {
    const before = (await auditEvents(sandbox)).length;
    const first = await sandbox.store.recordDesired('desktop', 'e2e-first');
    const a = await sandbox.systemctl(['start', '--no-block', unitOf('desktop')]);
    await new Promise((r) => setTimeout(r, 100));
    const second = await sandbox.store.recordDesired('compute', 'e2e-second');
    const b = await sandbox.systemctl(['start', '--no-block', unitOf('compute')]);
    expect([a.exitCode, b.exitCode], `${describeResult(a)} ${describeResult(b)}`).toEqual([0, 0]);
    if (!first.ok || !second.ok) throw new Error('could not record the desired modes');
    expect(second.record.generation).toBeGreaterThan(first.record.generation);
    await waitForRunsToEnd(sandbox, ['desktop', 'compute']);

    const events = (await auditEvents(sandbox)).slice(before).filter((e) => e.runId !== null && e.event !== 'desired');
    const runs = [...new Set(events.map((e) => e.runId))];
    expect(runs).toHaveLength(2);
    const of = (run: string | null): AuditEvent[] => events.filter((e) => e.runId === run);
    const [earlier, later] = runs.map(of) as [AuditEvent[], AuditEvent[]];
    // every event (intent, steps, outcome) of one run comes before every event of the other
    expect(Math.max(...earlier.map((e) => e.seq))).toBeLessThan(Math.min(...later.map((e) => e.seq)));
    expect(Math.max(...earlier.map((e) => e.monoMs ?? Infinity))).toBeLessThan(Math.min(...later.map((e) => e.monoMs ?? -Infinity)));
    expect(earlier.filter((e) => e.event === 'outcome')).toHaveLength(1);
    expect(later.filter((e) => e.event === 'outcome')).toHaveLength(1);
    // the newest request wins: the last run reconciled to compute at the newest generation and proved it. A unit
    // start is a request too, stamped when PID 1 starts it: on a loaded machine the desktop unit may start after the
    // compute request was recorded, and its run then records desktop as newer (and the compute unit's run compute after it)
    const record = lastRecord(sandbox);
    const newest = await sandbox.store.readDesired();
    expect(newest?.mode).toBe('compute');
    expect(newest?.generation).toBeGreaterThanOrEqual(second.record.generation);
    expect({ target: record?.target, generation: record?.generation }).toEqual({ target: 'compute', generation: newest?.generation });
    expect(record?.outcome === 'succeeded' ? record.finalObservation?.mode : record?.from?.mode).toBe('compute');
    console.info(`two requests 100 ms apart: ${earlier[0]?.target ?? '?'} run ${earlier.at(-1)?.outcome ?? '?'}, then ${later[0]?.target ?? '?'} run ${later.at(-1)?.outcome ?? '?'}`);
  }, 300_000);

  it('a run in compute again makes zero mutating calls', async () => {
    const again = await counted('compute');
    expect(again.record.outcome).toBe('noop');
    expect(again.mutating).toEqual([]);
  }, 300_000);

  it('two starts of the same instance at once are merged by PID 1 into one run', async () => {
    const before = (await auditEvents(sandbox)).length;
    const desired = await sandbox.store.recordDesired('desktop', 'e2e-twice');
    if (!desired.ok) throw new Error(desired.failure.message);
    const [one, two] = await Promise.all([sandbox.systemctl(['start', '--no-block', unitOf('desktop')]), sandbox.systemctl(['start', '--no-block', unitOf('desktop')])]);
    expect([one.exitCode, two.exitCode]).toEqual([0, 0]);
    await waitForRunsToEnd(sandbox, ['desktop']);
    const outcomes = (await auditEvents(sandbox)).slice(before).filter((e) => e.event === 'outcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ target: 'desktop', generation: desired.record.generation, outcome: 'succeeded' });
  }, 300_000);

  it('a bare systemctl start nobody recorded (as a modectl member starts it; the polkit path itself: e2e-member-request) is a request: the run records its instance and reaches it', async () => {
    const standing = await sandbox.store.readDesired();
    expect(standing?.mode).toBe('desktop');
    const before = (await auditEvents(sandbox)).length;
    const started = await sandbox.systemctl(['start', '--no-block', unitOf('studio-local')]);
    expect(started.exitCode, describeResult(started)).toBe(0);
    await waitForRunsToEnd(sandbox, ['studio-local']);
    const record = lastRecord(sandbox);
    const generation = (standing?.generation ?? 0) + 1;
    expect({ target: record?.target, generation: record?.generation, outcome: record?.outcome, observed: record?.finalObservation?.mode }).toEqual({
      target: 'studio-local',
      generation,
      outcome: 'succeeded',
      observed: 'studio-local',
    });
    expect(await sandbox.store.readDesired()).toMatchObject({ mode: 'studio-local', generation, via: 'unit-start', requestedBy: null });
    // recorded by the run itself, before its intent: one audited generation, carrying the run's id
    const events = (await auditEvents(sandbox)).slice(before);
    expect(events.filter((e) => e.event === 'desired')).toMatchObject([{ runId: record?.runId, target: 'studio-local', generation }]);
    expect(events.findIndex((e) => e.event === 'desired')).toBeLessThan(events.findIndex((e) => e.event === 'intent'));

    // and back the same way; a second start of the instance desired.json already names adds no generation
    expect((await sandbox.systemctl(['start', '--no-block', unitOf('desktop')])).exitCode).toBe(0);
    await waitForRunsToEnd(sandbox, ['desktop']);
    expect(lastRecord(sandbox)).toMatchObject({ target: 'desktop', generation: generation + 1, outcome: 'succeeded' });
    expect((await sandbox.systemctl(['start', '--no-block', unitOf('desktop')])).exitCode).toBe(0);
    await waitForRunsToEnd(sandbox, ['desktop']);
    expect(lastRecord(sandbox)).toMatchObject({ target: 'desktop', generation: generation + 1, outcome: 'noop' });
  }, 300_000);

  it('a request PID 1 merged into a run of its mode gets a run of its own in that process: `mode request` sees its generation recorded', async () => {
    const before = (await auditEvents(sandbox)).length;
    const first = await sandbox.store.recordDesired('studio-local', 'e2e-first');
    if (!first.ok) throw new Error(first.failure.message);
    // a switch slow enough that the request below surely comes while it runs
    const slow = join(countDir, 'slow');
    writeFileSync(slow, '');
    expect((await sandbox.systemctl(['start', '--no-block', unitOf('studio-local')])).exitCode).toBe(0);
    // the run has read desired.json (its intent names the generation): a new request now can only merge into it
    await sandbox.waitUntil('the run to journal its intent', async () => (await auditEvents(sandbox)).slice(before).some((e) => e.event === 'intent'), 120_000);
    const request = await runCli(['request', 'studio-local', '--json'], { env: cliEnvFor(sandbox, cliConfig(sandbox.dir)), timeoutMs: 240_000 }).finally(() => rmSync(slow, { force: true }));
    expect(request.code, request.stdout + request.stderr).toBe(EXIT.ok);
    const output = JSON.parse(request.stdout) as { desired: { generation: number }; record: { generation: number; outcome: string } };
    expect(output.record).toMatchObject({ generation: output.desired.generation, outcome: 'noop' });
    const outcomes = (await auditEvents(sandbox)).slice(before).filter((e) => e.event === 'outcome');
    expect(outcomes.map((e) => [e.generation, e.outcome])).toEqual([
      [first.record.generation, 'succeeded'],
      [output.desired.generation, 'noop'],
    ]);
    // both runs were one activation of the unit: the second came from the merged start, not from a start of its own
    const journal = await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', unitOf('studio-local')]);
    expect(journal.stdout).toContain(`generation ${output.desired.generation} (studio-local) was requested while this run went on`);
  }, 300_000);
});
