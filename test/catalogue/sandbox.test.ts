// Catalogue rows at level V (and G): the sandboxed systemd 252 with a real
// logind session stands in for the NixOS VM, its fake nvidia-smi (real
// captured formats and messages) for the GPU host. The real controller runs
// inside mode-controller@.service under its full hardening. One sandbox for
// all rows; each row puts back what it changed (config, drop-ins, world).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify } from '../../predicates/classify.ts';
import type { ConfigInput } from '../../schemas/config.ts';
import { runCli } from '../cli/support/cli.ts';
import { auditEvents, lastRecord, readIntent, runClean, unitEnd, unitOf, waitForRunsToEnd } from '../sandbox/crash.ts';
import { describeResult } from '../sandbox/command.ts';
import { activeStates, bootControllerSandbox, cliEnvFor, graphicalSessions, type ControllerSandbox } from '../sandbox/e2e.ts';
import { describeWhen, sandboxPrerequisites } from '../sandbox/prerequisites.ts';
import { DRIVER_NOT_LOADED } from '../sandbox/stand-ins/control.ts';
import { outsideRoots } from '../sandbox/outside-roots.ts';

describeWhen(sandboxPrerequisites(), 'catalogue rows in the sandbox (V; G through the fake nvidia-smi)', () => {
  let sandbox: ControllerSandbox;
  let configPath: string;
  let original: string;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({ vllm: { readyAfterMs: 0 } });
    configPath = join(sandbox.dir, 'config.json');
    original = readFileSync(configPath, 'utf8');
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  /** The controller reads its config at every run: change it for one row, then put it back. */
  const withConfig = async <T>(change: (c: ConfigInput) => ConfigInput, fn: () => Promise<T>): Promise<T> => {
    writeFileSync(configPath, JSON.stringify(change(JSON.parse(original) as ConfigInput), null, 2));
    try {
      return await fn();
    } finally {
      writeFileSync(configPath, original);
    }
  };
  /** A drop-in on one of our units for one row (daemon-reload before and after). */
  const withDropIn = async <T>(unit: string, lines: string[], fn: () => Promise<T>): Promise<T> => {
    const dir = join(sandbox.dir, 'units', `${unit}.d`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '70-catalogue.conf'), `${lines.join('\n')}\n`);
    await sandbox.systemctl(['daemon-reload']);
    try {
      return await fn();
    } finally {
      rmSync(join(dir, '70-catalogue.conf'));
      await sandbox.systemctl(['daemon-reload']);
    }
  };
  const observedMode = async () =>
    classify(await observeFacts(sandbox.config, { roots: outsideRoots(sandbox), env: { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` } }), sandbox.config).mode;
  const sessionOf = async () => (await graphicalSessions(sandbox))[0] ?? null;
  const journalOnFailure = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof Error) error.message += `\n--- sandbox journal ---\n${await sandbox.journal(60)}`;
      throw error;
    }
  };
  const cliEnv = () => cliEnvFor(sandbox, configPath);

  it('row 4: root starts mode-controller@gamer.service: exit 2, nothing touched, audited as rejected', async () => {
    const session = await sessionOf();
    const started = await sandbox.systemctl(['start', 'mode-controller@gamer.service'], 120_000);
    expect(started.exitCode).not.toBe(0);
    expect(await unitEnd(sandbox, 'gamer' as never)).toMatchObject({ execMainCode: '1', execMainStatus: String(EXIT.usage) });
    expect((await auditEvents(sandbox)).filter((e) => e.event === 'rejected').at(-1)).toMatchObject({ outcome: 'rejected', detail: { requested: 'gamer' } });
    expect(await sessionOf()).toBe(session);
  }, 120_000);

  it('row 7: the config names a unit that does not exist: LoadState=not-found is seen and compute is blocked before any step', async () => {
    const session = await sessionOf();
    const { record } = await withConfig((c) => ({ ...c, units: { ...c.units, vllm: 'no-such-vllm.service' } }), () => runClean(sandbox, 'compute'));
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.message).toContain('no-such-vllm.service has LoadState=not-found');
    expect(record.steps).toEqual([]);
    expect(await sessionOf()).toBe(session);
  }, 120_000);

  it('row 11: compute.target with AllowIsolate=no: blocked before the session is ended (checked, not discovered)', async () => {
    const session = await sessionOf();
    const { record } = await withDropIn('compute.target', ['[Unit]', 'AllowIsolate=no'], () => runClean(sandbox, 'compute'));
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.message).toContain('compute.target has AllowIsolate=no');
    expect(record.steps).toEqual([]);
    expect(await sessionOf()).toBe(session);
  }, 120_000);

  it('row 10: vLLM ordered After= the controller (a deadlock for a synchronous start) is caught by the step timeout and rolled back', async () => {
    const { record } = await withConfig(
      (c) => ({ ...c, thresholds: { ...c.thresholds, stepTimeoutsMs: { ...c.thresholds.stepTimeoutsMs, start: 4000 } } }),
      () => withDropIn('vllm.service', ['[Unit]', `After=${unitOf('compute')}`], () => runClean(sandbox, 'compute')),
    );
    expect(record.outcome).toBe('rolled-back');
    const stuck = record.steps.find((s) => s.stepId === 'start-vllm-service' && s.phase === 'apply');
    expect(stuck).toMatchObject({ ok: false });
    // row 8 too: the job the timed-out start queued is cancelled, not left to fire later
    expect(stuck?.message).toMatch(/its queued job \d+ was cancelled/);
    expect(record.finalObservation?.mode).toBe('desktop');
    // the start job left queued behind the controller did not bring vLLM up in desktop mode (Requisite=compute.target)
    await sandbox.waitUntil('no job is left', async () => (await sandbox.systemctl(['list-jobs', '--no-legend'])).stdout.trim() === '', 30_000);
    expect(await activeStates(sandbox, [sandbox.config.units.vllm, sandbox.config.units.desktopTarget])).toMatchObject({ [sandbox.config.units.desktopTarget]: 'active' });
    expect((await activeStates(sandbox, [sandbox.config.units.vllm]))[sandbox.config.units.vllm]).not.toBe('active');
    expect(await observedMode()).toBe('desktop');
    // the shipped units never order vLLM or the display manager after the controller: test/catalogue/units.test.ts
  }, 180_000);

  it('row 12: PID 1 re-executes while the controller waits for a start: the call is retried once and the switch is proven', async () => {
    // the overlay's first unit takes 3 s to start, so the controller's systemctl is waiting on it when PID 1 re-executes
    const record = await withDropIn('studio-local-policy.service', ['[Service]', 'ExecStartPre=/bin/sleep 3'], async () => {
      const desired = await sandbox.store.recordDesired('studio-local', 'row-12');
      if (!desired.ok) throw new Error(desired.failure.message);
      await sandbox.systemctl(['start', '--no-block', unitOf('studio-local')]);
      await sandbox.waitUntil('the controller waits for the overlay start', () => Promise.resolve(readIntent(sandbox)?.step === 'start-studio-local-policy-service'), 60_000);
      await new Promise((r) => setTimeout(r, 700));
      const reexec = await sandbox.systemctl(['daemon-reexec'], 60_000);
      expect(reexec.exitCode, describeResult(reexec)).toBe(0);
      await waitForRunsToEnd(sandbox, ['studio-local']);
      return lastRecord(sandbox);
    });
    expect({ outcome: record?.outcome, observed: record?.finalObservation?.mode }).toEqual({ outcome: 'succeeded', observed: 'studio-local' });
    const step = record?.steps.find((s) => s.stepId === 'start-studio-local-policy-service');
    expect(step?.message).toContain('retried once');
    expect(step?.commands[0]?.stderr.join('\n')).toMatch(/Connection reset by peer|D-Bus connection terminated/);
    expect((await runClean(sandbox, 'desktop')).record.outcome).toBe('succeeded');
  }, 180_000);

  it('rows 13 and 26: nvidia-smi failing blocks compute before anything stops; desktop does not need it; an SSH-like session survives compute', async () => {
    // a second login session of a user, off seat0 (what an SSH login is to logind), opened through PAM like the desktop one;
    // IgnoreOnIsolate=yes because a real one lives in sshd.service (which the mode targets keep) and a session scope
    // (which isolate never stops), while this stand-in's session leader is the main process of its own service
    const ssh = await sandbox.exec(['systemd-run', '--unit=ssh-stand-in', '--property=IgnoreOnIsolate=yes', '--property=PAMName=login', '--property=User=dubnium-desktop', '/bin/sleep', 'infinity']);
    expect(ssh.exitCode, describeResult(ssh)).toBe(0);
    await sandbox.waitUntil('the second session is listed', async () => (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split('\n').length === 2, 30_000);
    const sessionsBefore = (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[0]);
    const desktopSession = await sessionOf();
    const sshSession = sessionsBefore.find((id) => id !== desktopSession)!;

    sandbox.setGpu({ failure: DRIVER_NOT_LOADED });
    const blocked = await runClean(sandbox, 'compute');
    expect(blocked.record.outcome).toBe('blocked');
    expect(blocked.record.guards?.verdicts.find((v) => v.code === 'gpus-not-visible')).toMatchObject({ passed: false, missingFact: 'gpus' });
    expect(blocked.record.steps).toEqual([]);
    expect(await sessionOf()).toBe(desktopSession);

    sandbox.setGpu({ failure: null });
    const compute = await runClean(sandbox, 'compute');
    expect(compute.record.outcome).toBe('succeeded');
    const terminated = compute.record.steps.filter((s) => s.stepId.startsWith('terminate-session-')).map((s) => s.stepId);
    expect(terminated).toEqual([`terminate-session-${desktopSession ?? '?'}`]);
    const left = (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[0]);
    expect(left).toEqual([sshSession]);

    sandbox.setGpu({ failure: DRIVER_NOT_LOADED });
    const home = await runClean(sandbox, 'desktop');
    expect({ outcome: home.record.outcome, observed: home.record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', observed: 'desktop' });
    sandbox.setGpu({ failure: null });
    await sandbox.systemctl(['stop', 'ssh-stand-in.service']);
    await sandbox.waitUntil('a graphical session is back', async () => (await graphicalSessions(sandbox)).length === 1, 30_000);
  }, 300_000);

  it('row 18: a member spamming requests: every run is serialized and harmless, the newest request wins, nothing is degraded', async () => {
    // Measured on systemd 252 here: StartLimitBurst=10 in 60 s never refused a manual start of this oneshot
    // (12 failing and 13 succeeding starts in a row all ran), so PID 1 does not stop the spam; the lock and
    // level-triggering make it harmless instead. A refused start (start-limit-hit) is reported by
    // `mode request` with exit 6: test/cli/request.test.ts.
    const modes = ['studio-local', 'desktop', 'studio-local', 'desktop', 'studio-local', 'desktop', 'studio-local', 'desktop', 'studio-local', 'desktop', 'studio-local', 'studio-local'] as const;
    const before = (await auditEvents(sandbox)).length;
    let newest = 0;
    for (const mode of modes) {
      const desired = await sandbox.store.recordDesired(mode, 'spammer');
      if (desired.ok) newest = desired.record.generation;
      const started = await sandbox.systemctl(['start', '--no-block', unitOf(mode)]);
      expect(started.exitCode, describeResult(started)).toBe(0);
    }
    await waitForRunsToEnd(sandbox, ['desktop', 'studio-local']);
    const events = (await auditEvents(sandbox)).slice(before);
    const outcomes = events.filter((e) => e.event === 'outcome');
    expect(outcomes.map((e) => e.outcome).filter((o) => !['succeeded', 'noop'].includes(o ?? ''))).toEqual([]);
    // serialized: the events of the runs never interleave
    const runs = events.filter((e) => e.runId !== null && e.event !== 'desired').map((e) => e.runId);
    expect(runs.filter((id, i) => i > 0 && id !== runs[i - 1]).length).toBe(new Set(runs).size - 1);
    const last = lastRecord(sandbox);
    expect({ target: last?.target, generation: last?.generation }).toEqual({ target: 'studio-local', generation: newest });
    expect(await observedMode()).toBe('studio-local');
    console.info(`row 18: ${modes.length} requests, ${outcomes.length} runs (${outcomes.map((e) => e.outcome).join(', ')}), start-limit-hit: ${(await unitEnd(sandbox, 'desktop')).result === 'start-limit-hit'}`);
    expect((await runClean(sandbox, 'desktop')).record.outcome).toBe('succeeded');
  }, 300_000);

  it('row 27: D-Bus down: root still switches over /run/systemd/private; an unprivileged request gets a clear message', () => journalOnFailure(async () => {
    const stop = await sandbox.systemctl(['stop', 'dbus.socket', 'dbus.service']);
    expect(stop.exitCode, describeResult(stop)).toBe(0);
    // what systemctl says to a member of modectl now (a real capture, taken here), and what `mode request` makes of it
    const asUser = await sandbox.exec(['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups', '--', 'systemctl', 'start', '--no-block', '--', unitOf('studio-local')]);
    expect(asUser.exitCode).not.toBe(0);
    const captured = asUser.stderr.trim();
    expect(captured).toMatch(/bus/i);
    const fake = join(sandbox.dir, 'no-bus-bin');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'systemctl'), `#!/bin/sh\ncase "$1" in start) printf '%s\\n' '${captured.replace(/'/g, "'\\''")}' >&2; exit 1;; esac\nexec ${join(sandbox.outsideBin, 'systemctl')} "$@"\n`, { mode: 0o755 });
    const request = await runCli(['request', 'studio-local'], { env: { ...cliEnv(), PATH: `${fake}:${cliEnv().PATH}` }, timeoutMs: 60_000 });
    expect(request.code, request.stderr).toBe(EXIT.denied);
    expect(request.stderr).toContain('the system bus (D-Bus) or polkit is not answering');
    expect(request.stderr).toContain(`sudo systemctl start ${unitOf('studio-local')}`);

    // root, over the private socket: the overlay switch needs no bus (sessions are not read for it)
    const { record } = await runClean(sandbox, 'studio-local');
    expect({ outcome: record.outcome, observed: record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', observed: 'studio-local' });
    expect(lastRecord(sandbox)?.outcome).toBe('succeeded');
    await sandbox.systemctl(['start', 'dbus.socket']);
    const back = await runClean(sandbox, 'desktop');
    expect(back.record.outcome).toBe('succeeded');
  }), 300_000);
});
