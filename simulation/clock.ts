// A discrete-event clock: time stands still while anything can still run, and
// jumps to the next timer only when the process is otherwise idle (checked
// with setImmediate, which runs after every pending promise continuation).
// So a 15-minute vLLM readiness timeout passes instantly, yet in the same
// order as it would in real time.
import type { Clock } from '../machines/host.ts';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export const SIMULATED_EPOCH = Date.parse('2026-11-26T10:00:00.000Z');

export class SimulatedClock implements Clock {
  #nowMs = 0;
  #seq = 0;
  #timers: Timer[] = [];
  #tickScheduled = false;
  #holds = 0;

  now(): Date {
    return new Date(SIMULATED_EPOCH + this.#nowMs);
  }

  monotonicMs(): number {
    return this.#nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = this.#add(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        this.#remove(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by hand (a test that wants to age something). */
  advance(ms: number): void {
    this.#nowMs += ms;
  }

  /**
   * Stops time while real work is in flight (a file written by the real record
   * store, a child process), so that it takes no simulated time and a pending
   * timeout cannot fire just because the event loop waited on the disk.
   * Returns the release; time moves on once every hold is released.
   */
  hold(): () => void {
    this.#holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds -= 1;
      if (this.#holds === 0 && this.#timers.length > 0) this.#scheduleTick();
    };
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  #add(ms: number, fire: () => void): Timer {
    const timer = { at: this.#nowMs + Math.max(0, ms), seq: this.#seq++, fire };
    this.#timers.push(timer);
    this.#scheduleTick();
    return timer;
  }

  #remove(timer: Timer): void {
    this.#timers = this.#timers.filter((t) => t !== timer);
  }

  #scheduleTick(): void {
    if (this.#tickScheduled) return;
    this.#tickScheduled = true;
    setImmediate(() => {
      this.#tickScheduled = false;
      if (this.#holds > 0) return;
      const next = this.#timers.reduce<Timer | null>((a, t) => (a === null || t.at < a.at || (t.at === a.at && t.seq < a.seq) ? t : a), null);
      if (next === null) return;
      this.#remove(next);
      this.#nowMs = Math.max(this.#nowMs, next.at);
      next.fire();
      if (this.#timers.length > 0) this.#scheduleTick();
    });
  }
}
