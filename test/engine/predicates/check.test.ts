import { describe, expect, it } from 'vitest';
import { classify } from '../../../predicates/classify.ts';
import { combine, conflict, fine, firstReason, holds, missingFact } from '../../../predicates/check.ts';
import { unknownFactReason } from '../../../predicates/evidence.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, unknown, withUnit } from '../support/facts.ts';

const SMI = { kind: 'command' as const, argv: ['nvidia-smi'], exitCode: 9 };
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

  it('are built whole: a conflict misses nothing, a missing fact conflicts with nothing, each cites its reason', () => {
    expect(conflict(r('a'))).toEqual({ conflicts: [r('a')], missing: [], evidence: r('a').evidence });
    expect(missingFact(r('b'))).toEqual({ conflicts: [], missing: [r('b')], evidence: r('b').evidence });
  });

  it('cite an unknown fact by its code and reason, then the lines the observer could not understand, and nothing else', () => {
    const bare = unknownFactReason({ status: 'unknown', code: 'tool-failed', reason: 'nvidia-smi exited 9', source: SMI, readAt: 'now' }, 'gpus');
    expect(bare).toEqual({
      code: 'fact-unknown',
      message: 'the fact gpus could not be read (tool-failed: nvidia-smi exited 9)',
      path: ['gpus'],
      evidence: [{ fact: 'gpus', source: SMI, lines: ['tool-failed: nvidia-smi exited 9'] }],
    });
    const excerpt = unknownFactReason({ status: 'unknown', code: 'unparseable', reason: 'no header', excerpt: ['garbage'], source: SMI, readAt: 'now' }, 'gpus', ['gpus', 0]);
    expect([excerpt.path, excerpt.evidence[0]!.lines]).toEqual([['gpus', 0], ['unparseable: no header', 'garbage']]);
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
