// The chart's `after` timers run on the host's clock, so a simulated clock
// drives timeouts the same way it drives waits and step durations.
import type { ActorOptions, AnyActorLogic } from 'xstate';
import type { Clock } from './host.ts';

type XStateClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

export function xstateClockFor(clock: Clock): XStateClock {
  return {
    setTimeout(fn: () => void, ms: number) {
      const cancel = new AbortController();
      clock.sleep(ms, cancel.signal).then(fn, () => undefined);
      return cancel;
    },
    clearTimeout(handle: unknown) {
      (handle as AbortController).abort();
    },
  };
}
