import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interleave } from '../../bench/lib/interleave.ts';

const cases = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 });

describe('interleaved repetitions', () => {
  fcTest.prop([cases, fc.integer({ min: 1, max: 30 })])('every round runs every case exactly once, rounds in order', (items, rounds) => {
    const slots = interleave(items, rounds);
    expect(slots).toHaveLength(items.length * rounds);
    for (let r = 0; r < rounds; r += 1) {
      const round = slots.slice(r * items.length, (r + 1) * items.length);
      expect(round.every((s) => s.round === r)).toBe(true);
      expect([...round.map((s) => s.item)].sort()).toEqual([...items].sort());
    }
  });

  fcTest.prop([cases])('over as many rounds as cases, each case takes each position once', (items) => {
    const positions = new Map<string, number[]>(items.map((item) => [item, []]));
    interleave(items, items.length).forEach((slot, i) => positions.get(slot.item)?.push(i % items.length));
    for (const seen of positions.values()) expect([...seen].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
  });

  it('starts each round one case later', () => {
    expect(interleave(['a', 'b', 'c'], 3).map((s) => s.item).join('')).toBe('abcbcacab');
  });

  it('says what is wrong with a bad request', () => {
    expect(() => interleave(['a'], 0)).toThrow(/rounds must be a positive integer, got 0/);
    expect(() => interleave([], 3)).toThrow(/at least one case/);
  });
});
