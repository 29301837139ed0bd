// Summaries of repeated timings. Medians, not means: on a shared, loaded
// machine one stalled run would drag a mean anywhere; min and max show the spread.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no samples: every case needs at least one repetition');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** How many times the case costs the floor, by their medians. */
export function ratio(subject: Summary, floor: Summary): number {
  if (floor.median <= 0) throw new Error(`the floor's median is ${floor.median}: a ratio against it means nothing`);
  return subject.median / floor.median;
}

/**
 * Ratios of paired samples (the i-th repetition of the subject over the i-th
 * of the floor, measured next to each other): their min and max bound the
 * ratio better than min/max of the medians would on a machine whose load moves.
 */
export function pairedRatios(subject: readonly number[], floor: readonly number[]): Summary {
  if (subject.length !== floor.length) throw new Error(`paired ratios need as many subject samples (${subject.length}) as floor samples (${floor.length})`);
  return summarize(subject.map((s, i) => s / (floor[i] as number)));
}

export const round = (value: number, digits = 1): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
