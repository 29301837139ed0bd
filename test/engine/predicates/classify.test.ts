import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/runs.ts';
import { classify } from '../../../predicates/classify.ts';
import { holds } from '../../../predicates/check.ts';
import { targetReached } from '../../../predicates/modes.ts';
import { Facts } from '../../../schemas/facts.ts';
import { MODES } from '../../../schemas/modes.ts';
import { Classification } from '../../../schemas/records.ts';
import { factsArb } from '../support/arbitraries.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown, userSession, withUnit } from '../support/facts.ts';

describe('classify', () => {
  for (const mode of MODES) {
    it(`proves ${mode} from its own facts`, () => {
      expect(classify(factsFor(mode, config), config).mode).toBe(mode);
    });
  }

  it('counts an unset weight as the kernel default 100', () => {
    let facts = factsFor('desktop', config);
    for (const slice of Object.values(config.units.slices)) facts = withUnit(facts, slice, { cpuWeight: null, ioWeight: null });
    expect(classify(facts, config).mode).toBe('desktop');
    const ioOnly = withUnit(facts, 'platform.slice', { cpuWeight: 100, ioWeight: 300 });
    expect(classify(ioOnly, config)).toMatchObject({ mode: 'degraded', conflicts: [{ code: 'slice-weight', path: ['units', 'platform.slice', 'weights'] }] });
    const raised = withConfig((c) => (c.slices.baseline.ai.cpuWeight = 200));
    expect(classify(facts, raised)).toMatchObject({ mode: 'degraded', degradedFrom: 'desktop', conflicts: [{ code: 'slice-weight' }] });
  });

  it('calls desktop with a running vLLM degraded from desktop, naming the unit', () => {
    const facts = withUnit(factsFor('desktop', config), 'vllm.service', { activeState: 'active' });
    const result = classify(facts, config);
    expect(result).toMatchObject({ mode: 'degraded', degradedFrom: 'desktop' });
    if (result.mode !== 'degraded') throw new Error('unreachable');
    expect(result.conflicts.map((c) => [c.code, c.path])).toEqual([['unit-state', ['units', 'vllm.service', 'activeState']]]);
    expect(result.conflicts[0]!.evidence[0]!.lines[0]).toContain('ActiveState=active');
  });

  it('calls a half-applied overlay degraded and lists every conflict', () => {
    const facts = withUnit(factsFor('studio-local', config), 'audio-priority.service', { activeState: 'failed' });
    const result = classify(facts, config);
    expect(result).toMatchObject({ mode: 'degraded', degradedFrom: 'studio-local' });
    if (result.mode !== 'degraded') throw new Error('unreachable');
    expect(result.conflicts.map((c) => c.code)).toEqual(['unit-state']);
  });

  it('never needs nvidia-smi to prove desktop or studio-local', () => {
    for (const mode of ['desktop', 'studio-local'] as const) {
      expect(classify({ ...factsFor(mode, config), gpus: unknown('nvidia-smi') }, config).mode).toBe(mode);
    }
  });

  it('says unknown, naming the fact, when compute looks right but the GPUs cannot be read', () => {
    const result = classify({ ...factsFor('compute', config), gpus: unknown('nvidia-smi') }, config);
    expect(result).toMatchObject({ mode: 'unknown', missing: [{ code: 'fact-unknown', path: ['gpus'] }] });
  });

  it('says unknown when the units cannot be read at all', () => {
    expect(classify({ ...factsFor('desktop', config), units: unknown('systemctl') }, config).mode).toBe('unknown');
  });

  it('treats a configured unit the observer did not report as missing, not as inactive', () => {
    const facts = factsFor('desktop', config);
    if (facts.units.status !== 'known') throw new Error('unreachable');
    const without = { ...facts, units: { ...facts.units, value: facts.units.value.filter((u) => u.id !== 'vllm.service') } };
    expect(classify(without, config)).toMatchObject({ mode: 'unknown', missing: [{ code: 'unit-not-observed' }] });
  });

  it('judges a not-found unit by its ActiveState: inactive where inactive is wanted', () => {
    const facts = withUnit(factsFor('desktop', config), 'vllm.service', { loadState: 'not-found', activeState: 'inactive' });
    expect(classify(facts, config).mode).toBe('desktop');
    const noDm = withUnit(factsFor('desktop', config), 'display-manager.service', { loadState: 'not-found', activeState: 'inactive' });
    expect(classify(noDm, config)).toMatchObject({ mode: 'degraded', conflicts: [{ code: 'unit-state' }] });
  });

  it('does not call compute while a user graphical session lives on seat0', () => {
    const facts = { ...factsFor('compute', config), sessions: known([userSession('5')]) };
    expect(classify(facts, config)).toMatchObject({ mode: 'degraded', degradedFrom: 'compute', conflicts: [{ code: 'session-present' }] });
    const closing = { ...factsFor('compute', config), sessions: known([userSession('5', { state: 'closing' }), userSession('6', { class: 'greeter' })]) };
    expect(classify(closing, config).mode).toBe('compute');
  });

  it('does not call compute while the display holds the compute GPU', () => {
    const held = { ...factsFor('compute', config), gpus: known([gpu(0, [{ pid: 1, type: 'G', name: 'Xorg', usedMemoryMiB: 600 }])]) };
    expect(classify(held, config)).toMatchObject({ mode: 'degraded', degradedFrom: 'compute', conflicts: [{ code: 'gpu-held' }] });
    const vllmOff = withConfig((c) => (c.vllm.enable = false));
    const atResidual = known([gpu(0, [{ pid: 1, type: 'G', name: 'Xorg', usedMemoryMiB: 512 }, { pid: 2, type: 'C', name: 'python3', usedMemoryMiB: 9000 }])]);
    expect(classify({ ...factsFor('compute', vllmOff), gpus: atResidual }, vllmOff).mode).toBe('compute');
  });

  fcTest.prop([factsArb(config)], { numRuns: runs(400) })('is total: any facts give a schema-valid classification', (facts) => {
    expect(Facts.safeParse(facts).success).toBe(true);
    const result = classify(facts, config);
    expect(Classification.parse(result)).toEqual(result);
  });

  fcTest.prop([factsArb(config)], { numRuns: runs(400) })('names a mode exactly when that mode\'s target predicate holds', (facts) => {
    const result = classify(facts, config);
    for (const mode of MODES) expect(holds(targetReached(mode, facts, config))).toBe(result.mode === mode);
    if (result.mode === 'unknown') expect(result.missing.every((r) => r.code.length > 0)).toBe(true);
    if (result.mode === 'degraded') expect(result.conflicts.length).toBeGreaterThan(0);
  });

  fcTest.prop([factsArb(config)], { numRuns: runs(200) })('an unknown fact never turns into a proven mode that needs it', (facts) => {
    const result = classify({ ...facts, units: unknown('systemctl') }, config);
    expect(result.mode === 'unknown' || result.mode === 'degraded').toBe(true);
  });

  it('is total on the unexpected shapes fast-check also tries (empty lists)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), (mode) => {
        const facts = { ...factsFor(mode, config), units: known([]), sessions: known([]), gpus: known([]), gpuHolders: known([]) };
        expect(classify(facts, config).mode).toBe('unknown');
      }),
    );
  });
});
