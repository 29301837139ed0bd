// Actuators against fake systemctl/loginctl on PATH that answer with the
// stderr and exit statuses real systemd 252 gave in the sandbox.
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionCommand } from '../../effects/actuate/action-argv.ts';
import { performAction } from '../../effects/actuate/perform-action.ts';
import type { MutatingAction } from '../../machines/host.ts';
import { fakeTools, isRunning, type FakeTools } from './fake-tools.ts';
import { real } from './fixtures.ts';
import { testConfig } from './test-config.ts';

describe('action argv', () => {
  it.each<[MutatingAction, string[]]>([
    [{ kind: 'start', unit: 'vllm.service' }, ['start', '--', 'vllm.service']],
    [{ kind: 'stop', unit: 'display-manager.service' }, ['stop', '--', 'display-manager.service']],
    [{ kind: 'isolate', unit: 'compute.target' }, ['isolate', '--', 'compute.target']],
    [{ kind: 'set-property', unit: 'interactive.slice', weights: { cpuWeight: 1000, ioWeight: 800 } }, ['set-property', '--runtime', '--', 'interactive.slice', 'CPUWeight=1000', 'IOWeight=800']],
    [{ kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: null, ioWeight: null } }, ['set-property', '--runtime', '--', 'ai.slice', 'CPUWeight=', 'IOWeight=']],
    [{ kind: 'terminate-session', sessionId: 'c1', user: 'gdm', seat: 'seat0' }, ['terminate-session', '--', 'c1']],
  ])('%j runs %j', (action, args) => {
    expect(actionCommand(action).args).toEqual(args);
  });
});

describe('performAction', () => {
  let tools: FakeTools;
  beforeEach(() => {
    tools = fakeTools();
  });
  afterEach(() => tools.cleanup());
  const config = testConfig();
  const perform = (action: MutatingAction, overrides: Partial<Parameters<typeof performAction>[1]> = {}) =>
    performAction(action, { config, env: tools.env, killGraceMs: 200, ...overrides });

  it('runs systemctl with the action argv and keeps the command as evidence', async () => {
    tools.echoes('systemctl');
    const result = await perform({ kind: 'set-property', unit: 'interactive.slice', weights: { cpuWeight: 1000, ioWeight: 800 } });
    expect(result.ok).toBe(true);
    expect(result.message).toBe('set interactive.slice CPUWeight=1000 IOWeight=800: done');
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatchObject({ argv: [`${tools.dir}/systemctl`, 'set-property', '--runtime', '--', 'interactive.slice', 'CPUWeight=1000', 'IOWeight=800'], exitCode: 0 });
    expect(result.commands[0]!.stdout.slice(0, 6)).toEqual(['arg=set-property', 'arg=--runtime', 'arg=--', 'arg=interactive.slice', 'arg=CPUWeight=1000', 'arg=IOWeight=800']);
  });

  it('reports a failed start with systemd\'s words and where to look', async () => {
    tools.prints('systemctl', { stderr: real('f_systemd_errors/sandbox-252-start-fail.stderr.txt').split('\n')[0]!, exitCode: 1 });
    const result = await perform({ kind: 'start', unit: 'studio-local-policy.service' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^start studio-local-policy\.service failed: .* exited with status 1: Job for studio-local-policy\.service failed because the control process exited with error code\.; see `systemctl status studio-local-policy\.service`/);
    expect(result.commands[0]!.exitCode).toBe(1);
  });

  it('says a unit is unknown to systemd when start exits 5', async () => {
    tools.prints('systemctl', { stderr: real('f_systemd_errors/sandbox-252-start-missing.stderr.txt').trim(), exitCode: 5 });
    const result = await perform({ kind: 'start', unit: 'vllm.service' });
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/systemd does not know this unit/);
  });

  it('counts stopping a unit that is not loaded as done', async () => {
    tools.prints('systemctl', { stderr: real('f_systemd_errors/sandbox-252-stop-missing.stderr.txt').trim(), exitCode: 5 });
    const result = await perform({ kind: 'stop', unit: 'vllm.service' });
    expect(result).toMatchObject({ ok: true, message: 'stop vllm.service: already stopped (systemd has no such unit loaded)' });
  });

  it('explains a refused isolate', async () => {
    tools.prints('systemctl', { stderr: real('f_systemd_errors/sandbox-252-isolate-noallow.stderr.txt').split('\n')[0]!, exitCode: 4 });
    const result = await perform({ kind: 'isolate', unit: 'compute.target' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/compute\.target needs AllowIsolate=yes/);
  });

  it('counts terminating a session that is already gone as done', async () => {
    tools.prints('loginctl', { stderr: real('f_systemd_errors/sandbox-252-ts-missing.stderr.txt').trim(), exitCode: 1 });
    const result = await perform({ kind: 'terminate-session', sessionId: '7', user: null, seat: null });
    expect(result).toMatchObject({ ok: true, message: 'terminate session 7: the session is already gone' });
    expect(result.commands[0]!.argv.slice(1)).toEqual(['terminate-session', '--', '7']);
  });

  it('returns a timeout as a failed result and leaves no systemctl behind', async () => {
    tools.hangs('systemctl', { ignoreTerm: true });
    const quick = { ...config, thresholds: { ...config.thresholds, stepTimeoutsMs: { ...config.thresholds.stepTimeoutsMs, isolate: 300 } } };
    const result = await perform({ kind: 'isolate', unit: 'compute.target' }, { config: quick });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/did not finish within 300 ms and was killed/);
    expect(result.commands[0]!.timedOut).toBe(true);
    expect(isRunning(tools.pidOf('systemctl')!)).toBe(false);
  });

  it('returns a missing systemctl as a failed result', async () => {
    const result = await perform({ kind: 'stop', unit: 'vllm.service' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/systemctl was not found/);
  });

  it.each<[string, MutatingAction]>([
    ['a glob', { kind: 'stop', unit: '*' }],
    ['an option', { kind: 'stop', unit: '--all' }],
    ['a leading dash', { kind: 'start', unit: '-x.service' }],
    ['a shell substitution', { kind: 'start', unit: '$(reboot).service' }],
    ['an escape', { kind: 'isolate', unit: 'a\\x2db.target' }],
    ['a space', { kind: 'start', unit: 'a b.service' }],
    ['no unit suffix', { kind: 'start', unit: 'vllm' }],
    ['a zero weight', { kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: 0, ioWeight: 10 } }],
    ['a huge weight', { kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: 10, ioWeight: 10_001 } }],
    ['a session id with a slash', { kind: 'terminate-session', sessionId: '../1', user: null, seat: null }],
  ])('refuses %s before running anything', async (_what, action) => {
    tools.echoes('systemctl');
    tools.echoes('loginctl');
    const result = await perform(action);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^refused to /);
    expect(result.commands).toEqual([]);
    expect(tools.pidOf('systemctl')).toBeNull();
    expect(tools.pidOf('loginctl')).toBeNull();
  });

  test.prop([fc.string({ maxLength: 40 })], { numRuns: 60 })('never runs a unit name outside the allowlist, and never rejects', async (unit) => {
    tools.echoes('systemctl');
    const result = await perform({ kind: 'stop', unit });
    if (!/^[A-Za-z0-9][A-Za-z0-9:_.@-]{0,240}\.(service|target|slice|socket|mount|scope|timer|path)$/.test(unit)) {
      expect(result.ok).toBe(false);
      expect(result.commands).toEqual([]);
    } else {
      expect(result.commands[0]!.argv.slice(1)).toEqual(['stop', '--', unit]);
    }
  });
});
