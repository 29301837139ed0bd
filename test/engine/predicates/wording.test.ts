// The words are the product: an operator reads them in last-transition.json
// and `mode explain`. These pin what each reason and verdict says, and which
// evidence lines it cites.
import { describe, expect, it } from 'vitest';
import { classify } from '../../../predicates/classify.ts';
import { decide } from '../../../predicates/decide.ts';
import { firstFailedVerdict } from '../../../predicates/guard-verdict.ts';
import { planTransition } from '../../../predicates/plan.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor, known, unknown, userSession, withUnit } from '../support/facts.ts';

const desktop = factsFor('desktop', config);

describe('what reasons say', () => {
  it('a unit in the wrong state', () => {
    const result = classify(withUnit(desktop, 'vllm.service', { activeState: 'active' }), config);
    if (result.mode !== 'degraded') throw new Error(result.mode);
    expect(result.conflicts[0]).toMatchObject({
      code: 'unit-state',
      path: ['units', 'vllm.service', 'activeState'],
      evidence: [{ fact: 'units.vllm.service.activeState', source: { kind: 'simulated', name: 'systemctl' }, lines: ['vllm.service: LoadState=loaded ActiveState=active SubState=dead'] }],
    });
    expect(result.conflicts[0]!.message).toMatch(/^vllm\.service is active \(LoadState=loaded\), expected inactive\b/);
  });

  it('a slice at the wrong weights, unset shown as systemd shows it', () => {
    const result = classify(withUnit(desktop, 'ai.slice', { cpuWeight: 20, ioWeight: null }), config);
    if (result.mode !== 'degraded') throw new Error(result.mode);
    expect(result.conflicts[0]).toMatchObject({
      code: 'slice-weight',
      message: 'ai.slice has CPUWeight=20 IOWeight=[not set], expected the baseline weights CPUWeight=100 IOWeight=100',
      path: ['units', 'ai.slice', 'weights'],
      evidence: [{ fact: 'units.ai.slice.cpuWeight', lines: ['ai.slice: CPUWeight=20 IOWeight=[not set]'] }],
    });
  });

  it('an unknown fact, with the observer\'s reason and excerpt', () => {
    const units = { ...unknown<never>('systemctl'), code: 'unparseable' as const, reason: 'line 3 has no "="', excerpt: ['garbage'] };
    const result = classify({ ...desktop, units }, config);
    if (result.mode !== 'unknown') throw new Error(result.mode);
    expect(result.missing[0]).toEqual({
      code: 'fact-unknown',
      message: 'the fact units could not be read (unparseable: line 3 has no "=")',
      path: ['units', 'desktop.target'],
      evidence: [{ fact: 'units', source: { kind: 'simulated', name: 'systemctl' }, lines: ['unparseable: line 3 has no "="', 'garbage'] }],
    });
  });

  it('a unit the observer did not report', () => {
    if (desktop.units.status !== 'known') throw new Error('known');
    const facts = { ...desktop, units: known(desktop.units.value.filter((u) => u.id !== 'vllm.service')) };
    const result = classify(facts, config);
    if (result.mode !== 'unknown') throw new Error(result.mode);
    expect(result.missing[0]!.message).toBe('vllm.service was not among the units the observer reported; observe it before deciding');
    expect(result.missing[0]!.evidence[0]!.lines[0]).toMatch(/^reported: desktop\.target display-manager\.service compute\.target/);
  });

  it('a session that is alive on seat0', () => {
    const compute = { ...factsFor('compute', config), sessions: known([userSession('5')]) };
    const result = classify(compute, config);
    if (result.mode !== 'degraded') throw new Error(result.mode);
    expect(result.conflicts[0]).toMatchObject({
      message: 'the graphical session 5 of user alice is alive on seat0',
      evidence: [{ fact: 'sessions.5', lines: ['session 5 user=alice seat=seat0 type=wayland class=user state=active remote=false'] }],
    });
  });
});

describe('what guard verdicts say', () => {
  const report = (facts = desktop) => decide('compute', facts, config).guards;
  const message = (code: string, facts = desktop) => report(facts).verdicts.find((v) => v.code === code)?.message;

  it('passing verdicts say what was checked', () => {
    expect(message('audio-active')).toBe('no audio is playing and no configured audio process runs');
    expect(message('session-not-terminable')).toBe('every graphical session compute ends is a local seat0 session');
    expect(message('memory-headroom')).toBe('MemAvailable covers the 8192 MiB headroom');
    expect(message('persistence-path-missing')).toBe('every persistence path exists with enough free space');
    expect(message('gpus-not-visible')).toBe('every configured GPU is visible');
    expect(message('vllm-model-unset')).toBe('vLLM serves Qwen/Qwen2.5-Coder-14B-Instruct-AWQ');
    expect(message('units-not-loadable')).toMatch(/^every unit the plan starts or isolates is loaded\b.*: compute\.target, desktop\.target, vllm\.service, vllm-ready\.service$/);
    expect(message('vllm-will-stop')).toBe('no running model server is stopped');
  });

  it('failing verdicts name the problem, count the rest, and fail closed by name', () => {
    const two = withUnit(withUnit(desktop, 'vllm.service', { loadState: 'not-found' }), 'vllm-ready.service', { loadState: 'masked' });
    expect(message('units-not-loadable', two)).toBe('vllm.service has LoadState=not-found; it cannot be started or isolated (and 1 more)');
    expect(message('memory-headroom', { ...desktop, memory: known({ memTotalKiB: 1, memAvailableKiB: 2048 * 1024 }) })).toBe(
      'MemAvailable is 2048 MiB, below the 8192 MiB compute needs',
    );
    expect(message('session-not-terminable', { ...desktop, sessions: known([userSession('8', { remote: true })]) })).toBe(
      'the graphical session 8 of user alice cannot be ended by compute: it is a remote session',
    );
    expect(message('audio-active', { ...desktop, alsa: unknown('alsa') })).toBe('fails closed: the fact alsa could not be read (tool-failed: alsa failed in the test)');
  });

  it('the first failed verdict becomes the record\'s reason, hard before soft', () => {
    const blocked = report({ ...desktop, audioProcesses: known([{ pid: 9, name: 'reaper' }]) });
    expect(firstFailedVerdict(blocked)).toMatchObject({ code: 'audio-active', path: ['guards', 'audio-active'] });
    expect(firstFailedVerdict(report())).toMatchObject({ code: 'graphical-session-loss' });
    expect(firstFailedVerdict(report({ ...desktop, sessions: known([]) }))).toBeNull();
  });
});

describe('what plan steps say', () => {
  it('each step describes itself and what it costs', () => {
    const plan = planTransition('desktop', 'compute', desktop, config);
    expect(plan.map((s) => s.description)).toEqual([
      'terminate the graphical session 2 of alice on seat0',
      'wait until no user graphical session is left on seat0',
      'isolate compute.target',
      'wait until display processes release compute GPUs 0',
      'start vllm.service',
      'start vllm-ready.service',
    ]);
    expect(plan[2]!.losses).toEqual(['the desktop stops: display-manager.service and everything compute.target does not want']);
    const back = planTransition('compute', 'desktop', factsFor('compute', config), config);
    expect(back.map((s) => s.description)).toEqual([
      'stop vllm-ready.service',
      'stop vllm.service',
      'wait until vllm.service and vllm-ready.service are inactive',
      'isolate desktop.target',
      'wait until desktop.target and display-manager.service are active',
    ]);
    expect(planTransition('desktop', 'studio-local', desktop, config)[0]!.description).toBe(
      'set user.slice to the studio weights CPUWeight=1000 IOWeight=800 (runtime only)',
    );
  });
});
