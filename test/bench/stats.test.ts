import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, pairedRatios, ratio, summarize } from '../../bench/lib/stats.ts';

const samples = fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('median, summaries and ratios of timings', () => {
  fcTest.prop([samples])('the median lies between min and max and ignores the order of the samples', (values) => {
    const m = median(values);
    expect(m).toBeGreaterThanOrEqual(Math.min(...values));
    expect(m).toBeLessThanOrEqual(Math.max(...values));
    expect(median([...values].reverse())).toBe(m);
    expect(median([...values].sort((a, b) => b - a))).toBe(m);
  });

  fcTest.prop([samples])('as many samples lie at or below the median as at or above it', (values) => {
    const m = median(values);
    expect(values.filter((v) => v <= m).length).toBeGreaterThanOrEqual(values.length / 2);
    expect(values.filter((v) => v >= m).length).toBeGreaterThanOrEqual(values.length / 2);
  });

  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([3, 9, 1])).toEqual({ n: 3, median: 3, min: 1, max: 9 });
  });

  fcTest.prop([samples, fc.double({ min: 0.5, max: 4, noNaN: true })])('a case k times slower in every round has paired ratios and a median ratio of k', (floor, k) => {
    const subject = floor.map((v) => v * k);
    const paired = pairedRatios(subject, floor);
    expect(paired.min).toBeCloseTo(k, 9);
    expect(paired.max).toBeCloseTo(k, 9);
    expect(ratio(summarize(subject), summarize(floor))).toBeCloseTo(k, 9);
  });

  it('refuses what has no meaning, saying why', () => {
    expect(() => median([])).toThrow(/at least one repetition/);
    expect(() => pairedRatios([1, 2], [1])).toThrow(/as many subject samples \(2\) as floor samples \(1\)/);
    expect(() => ratio(summarize([1]), summarize([0]))).toThrow(/floor's median is 0/);
  });
});
