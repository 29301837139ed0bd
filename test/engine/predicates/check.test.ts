import { describe, expect, it } from 'vitest';
import { classify } from '../../../predicates/classify.ts';
import { combine, conflict, fine, firstReason, holds, missingFact } from '../../../predicates/check.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, unknown, withUnit } from '../support/facts.ts';

const r = (code: string) => ({ code, message: code, path: [code], evidence: [{ fact: code, source: null, lines: [code] }] });

describe('checks', () => {
  it('hold only with no conflict and nothing missing, and name conflicts before missing facts', () => {
    expect(holds(fine([]))).toBe(true);
    expect(holds(conflict(r('a')))).toBe(false);
    expect(holds(missingFact(r('b')))).toBe(false);
    const both = combine(missingFact(r('m')), conflict(r('c')), fine([{ fact: 'f', source: null, lines: [] }]));
    expect(firstReason(both)?.code).toBe('c');
    expect(firstReason(missingFact(r('m')))?.code).toBe('m');
    expect(firstReason(fine([]))).toBeNull();
    expect(both.evidence.map((e) => e.fact)).toEqual(['m', 'c', 'f']);
  });
});

describe('classify, the edges', () => {
  it('lists each missing fact once, even when several modes need it', () => {
    const result = classify({ ...factsFor('desktop', config), units: unknown('systemctl') }, config);
    if (result.mode !== 'unknown') throw new Error(result.mode);
    const keys = result.missing.map((m) => m.path.join('.'));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('units.desktop.target');
    expect(keys).toContain('units.studio-local-policy.service');
    expect(keys).toContain('units.user.slice');
  });

  it('breaks a tie in conflicts towards the safer mode (desktop before studio-local)', () => {
    const oneOverlay = withConfig((c) => (c.units.studioOverlay = ['studio-local-policy.service']));
    const studioWeights = oneOverlay.slices.studio.interactive;
    let facts = withUnit(factsFor('desktop', oneOverlay), 'studio-local-policy.service', { activeState: 'active' });
    facts = withUnit(facts, 'user.slice', { ...studioWeights });
    const result = classify(facts, oneOverlay);
    // desktop: overlay active + interactive weights; studio-local: ai + platform weights — two each
    expect(result).toMatchObject({ mode: 'degraded', degradedFrom: 'desktop' });
    if (result.mode === 'degraded') expect(result.conflicts.map((c) => c.code)).toEqual(['unit-state', 'slice-weight']);
  });
});
