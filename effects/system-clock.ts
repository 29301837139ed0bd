// The real clock of the Host port: wall time for records people read, and
// CLOCK_MONOTONIC for durations and deadlines, which survive wall-clock jumps.
// One definition, so the record store's stamps and the run's deadlines read
// the same clocks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../machines/host.ts';
import { monotonicMs } from './monotonic.ts';

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs,
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};
