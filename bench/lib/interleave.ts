// The order in which cases run: every round runs every case once, and each
// round starts one case later than the one before, so that no case always
// runs first (cold caches) or always right after the same neighbour. Load
// that drifts during the run then falls on all cases alike.

export interface Slot<T> {
  round: number;
  item: T;
}

export function interleave<T>(items: readonly T[], rounds: number): Slot<T>[] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  if (items.length === 0) throw new Error('nothing to interleave: give at least one case');
  const slots: Slot<T>[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < items.length; k += 1) slots.push({ round, item: items[(round + k) % items.length] as T });
  }
  return slots;
}
