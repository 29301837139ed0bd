import { test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/runs.ts';
import { decide } from '../../../predicates/decide.ts';
import { MODES } from '../../../schemas/modes.ts';
import type { Facts } from '../../../schemas/facts.ts';
import { GuardReport, type GuardVerdict } from '../../../schemas/records.ts';
import { factsArb } from '../support/arbitraries.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown, userSession, withUnit } from '../support/facts.ts';
import type { Config } from '../../../schemas/config.ts';

const desktop = factsFor('desktop', config);
const toCompute = (facts: Facts, c: Config = config) => decide('compute', facts, c).guards;
const verdict = (report: GuardReport, code: string): GuardVerdict => {
  const v = report.verdicts.find((x) => x.code === code);
  if (!v) throw new Error(`no verdict ${code} in ${report.verdicts.map((x) => x.code).join(',')}`);
  return v;
};
const hardFailures = (report: GuardReport) => report.verdicts.filter((v) => !v.passed && v.severity === 'hard').map((v) => v.code);

describe('compute guards', () => {
  it('pass on a quiet desktop, with a soft warning for the session compute will end', () => {
    const report = toCompute(desktop);
    expect(hardFailures(report)).toEqual([]);
    expect(report.verdict).toBe('soft-only');
    expect(verdict(report, 'graphical-session-loss').message).toBe('the graphical session 2 of user alice on seat0 will be terminated');
  });

  it('pass outright when there is no session to end', () => {
    expect(toCompute({ ...desktop, sessions: known([]) }).verdict).toBe('pass');
  });

  it('block on a RUNNING ALSA substream, a playing stream, or reaper', () => {
    const alsa = known([{ path: '/proc/asound/card1/pcm0p/sub0', card: 1, device: 0, subdevice: 0, state: 'RUNNING', running: true, ownerPid: 55 }]);
    expect(hardFailures(toCompute({ ...desktop, alsa }))).toEqual(['audio-active']);
    const streams = known([{ id: '3', application: 'Firefox', pid: 4711, uid: 1000, corked: false, running: true }]);
    expect(hardFailures(toCompute({ ...desktop, audioStreams: streams }))).toEqual(['audio-active']);
    const corked = known([{ id: '3', application: 'Firefox', pid: 4711, uid: 1000, corked: true, running: true }]);
    expect(hardFailures(toCompute({ ...desktop, audioStreams: corked }))).toEqual([]);
    const reaper = known([{ pid: 77, name: 'reaper' }]);
    const report = toCompute({ ...desktop, audioProcesses: reaper });
    expect(verdict(report, 'audio-active')).toMatchObject({ passed: false, message: 'audio process reaper (pid 77) is running' });
  });

  it('fail closed on each unknown fact and name it', () => {
    const cases: [keyof Facts, string, string][] = [
      ['alsa', 'audio-active', 'alsa'],
      ['audioStreams', 'audio-active', 'audioStreams'],
      ['audioProcesses', 'audio-active', 'audioProcesses'],
      ['sessions', 'session-not-terminable', 'sessions'],
      ['memory', 'memory-headroom', 'memory'],
      ['paths', 'persistence-path-missing', 'paths'],
      ['gpus', 'gpus-not-visible', 'gpus'],
    ];
    for (const [fact, code, missing] of cases) {
      const report = toCompute({ ...desktop, [fact]: unknown(fact) });
      expect(report.verdict).toBe('hard-block');
      expect(verdict(report, code)).toMatchObject({ passed: false, missingFact: missing });
    }
  });

  it('block a session compute may not end: remote, off seat0, or of an odd class', () => {
    for (const odd of [{ remote: true }, { seat: null }, { class: 'manager' }, { remote: null }]) {
      const report = toCompute({ ...desktop, sessions: known([userSession('9', odd)]) });
      expect(verdict(report, 'session-not-terminable').passed).toBe(false);
    }
    const greeter = toCompute({ ...desktop, sessions: known([userSession('c1', { class: 'greeter', user: 'gdm' })]) });
    expect(verdict(greeter, 'session-not-terminable').passed).toBe(true);
    const tty = toCompute({ ...desktop, sessions: known([userSession('3', { type: 'tty', remote: true, seat: null })]) });
    expect(verdict(tty, 'session-not-terminable').passed).toBe(true);
  });

  it('block below the memory headroom and fail closed without MemAvailable', () => {
    const need = config.thresholds.memoryHeadroomMiB * 1024;
    expect(verdict(toCompute({ ...desktop, memory: known({ memTotalKiB: 1, memAvailableKiB: need }) }), 'memory-headroom').passed).toBe(true);
    expect(verdict(toCompute({ ...desktop, memory: known({ memTotalKiB: 1, memAvailableKiB: need - 1 }) }), 'memory-headroom').passed).toBe(false);
    expect(verdict(toCompute({ ...desktop, memory: known({ memTotalKiB: 1, memAvailableKiB: null }) }), 'memory-headroom')).toMatchObject({
      passed: false,
      missingFact: 'memory.memAvailableKiB',
    });
  });

  it('block when a unit the plan starts or isolates is not loaded', () => {
    const report = toCompute(withUnit(desktop, 'vllm-ready.service', { loadState: 'not-found' }));
    expect(verdict(report, 'units-not-loadable')).toMatchObject({ passed: false, message: 'vllm-ready.service has LoadState=not-found; it cannot be started or isolated' });
    // desktop.target is what rollback isolates, so it must be loadable too
    expect(verdict(toCompute(withUnit(desktop, 'desktop.target', { loadState: 'masked' })), 'units-not-loadable').passed).toBe(false);
  });

  it('block on a missing, non-directory or full model store', () => {
    const store = config.vllm.modelStore;
    const at = (p: object) => known([{ path: store, exists: true, isDirectory: true, freeBytes: 2 ** 40, ...p }]);
    expect(verdict(toCompute({ ...desktop, paths: at({}) }), 'persistence-path-missing').passed).toBe(true);
    expect(verdict(toCompute({ ...desktop, paths: at({ exists: false }) }), 'persistence-path-missing').message).toBe(`${store} does not exist`);
    expect(verdict(toCompute({ ...desktop, paths: at({ isDirectory: false }) }), 'persistence-path-missing').passed).toBe(false);
    expect(verdict(toCompute({ ...desktop, paths: at({ freeBytes: 1024 * 1024 * 1023 }) }), 'persistence-path-missing').passed).toBe(false);
    expect(verdict(toCompute({ ...desktop, paths: at({ freeBytes: null }) }), 'persistence-path-missing').missingFact).toBe(`paths.${store}.freeBytes`);
    expect(verdict(toCompute({ ...desktop, paths: known([]) }), 'persistence-path-missing').missingFact).toBe(`paths.${store}`);
  });

  it('block when a configured GPU is not visible', () => {
    const two = withConfig((c) => (c.hardware.presentGpus = [0, 1]));
    expect(verdict(toCompute({ ...factsFor('desktop', two), gpus: known([gpu(0)]) }, two), 'gpus-not-visible')).toMatchObject({ passed: false, message: 'configured GPU 1 is not visible to nvidia-smi' });
  });

  it('block when vLLM is enabled without a model', () => {
    const noModel = withConfig((c) => (c.vllm.model = null));
    expect(hardFailures(toCompute(factsFor('desktop', noModel), noModel))).toEqual(['vllm-model-unset']);
  });
});

describe('studio-local and desktop guards', () => {
  it('studio-local needs local placement and loadable overlay units and slices', () => {
    expect(decide('studio-local', desktop, config).guards.verdict).toBe('pass');
    const remote = withConfig((c) => (c.capabilityPlacement.studio = 'remote'));
    expect(hardFailures(decide('studio-local', desktop, remote).guards)).toEqual(['studio-not-local']);
    expect(hardFailures(decide('studio-local', withUnit(desktop, 'audio-priority.service', { loadState: 'not-found' }), config).guards)).toEqual(['units-not-loadable']);
    expect(hardFailures(decide('studio-local', withUnit(desktop, 'ai.slice', { loadState: 'error' }), config).guards)).toEqual(['units-not-loadable']);
  });

  it('desktop from compute ignores GPU facts and warns softly that vLLM stops', () => {
    const compute = { ...factsFor('compute', config), gpus: unknown<never>('nvidia-smi') };
    const { from, guards: report } = decide('desktop', compute, config);
    expect(from.mode).toBe('unknown');
    expect(report.verdict).toBe('soft-only');
    expect(verdict(report, 'vllm-will-stop').message).toBe('the model served by vLLM stops answering');
  });

  fcTest.prop([factsArb(config)], { numRuns: runs(300) })('every report is schema-valid and its verdict follows the verdicts', (facts) => {
    for (const target of MODES) {
      const report = decide(target, facts, config).guards;
      expect(GuardReport.parse(report)).toEqual(report);
      const hard = report.verdicts.some((v) => !v.passed && v.severity === 'hard');
      const soft = report.verdicts.some((v) => !v.passed && v.severity === 'soft');
      expect(report.verdict).toBe(hard ? 'hard-block' : soft ? 'soft-only' : 'pass');
      for (const v of report.verdicts) if (v.missingFact !== null) expect(v.passed).toBe(false);
      if (target === 'desktop') expect(report.verdicts.every((v) => !(v.missingFact ?? '').startsWith('gpus'))).toBe(true);
    }
  });
});
