// One controller run over the Host port: the entry point the CLI, the systemd
// unit and the tests call. It creates a fresh actor per run (an actor is never
// reused or resumed mid-effect), attaches the observer before start so no
// error escapes, and resolves with the run's single transition record.
import { createActor } from 'xstate';
import type { ModeName } from '../schemas/names.ts';
import type { TransitionRecord } from '../schemas/records.ts';
import { asError } from '../shared/describe-error.ts';
import { actorsFor } from './actors.ts';
import { controller } from './controller.ts';
import type { Host } from './host.ts';
import { xstateClockFor } from './xstate-clock.ts';

export interface RunOptions {
  /** the generation the caller recorded for this request, if it knows it */
  generation?: number | null;
  runId?: string;
  /** the controller's pid, for the journaled intent */
  pid?: number;
  /**
   * Called after every step (`<step id>`, `rollback-<step id>`) and after
   * `intent-written`. If it throws, the run stops dead right there, as if the
   * process had been killed: no rollback, no record, the lock not released
   * (a real flock is dropped by the kernel; a simulated host's crash() does it).
   * runController then rejects with the thrown error.
   */
  failpoint?: (stepId: string) => void;
  /**
   * Asks the run to stop (wire SIGTERM/SIGINT to it): it stops at the next
   * step boundary, records `interrupted` and leaves its intent for the next
   * run. A wait in flight stops at once; an operation in flight gets
   * `interruptGraceMs` to finish, then the run stops waiting for it (a job it
   * queued in systemd is not cancelled).
   */
  signal?: AbortSignal;
  /** default 10 s: well inside the unit's TimeoutStopSec=45s, so the outcome is recorded before SIGKILL */
  interruptGraceMs?: number;
  /** how long the host's lock() waits for a running transition; the chart's lock timeout grows by it */
  lockWaitMs?: number;
}

export const DEFAULT_INTERRUPT_GRACE_MS = 10_000;

export async function runController(host: Host, target: ModeName, options: RunOptions = {}): Promise<TransitionRecord> {
  const bootId = await host.bootId();
  let died: { error: unknown } | null = null;
  const hook = options.failpoint;
  const failpoint = hook
    ? (stepId: string) => {
        try {
          hook(stepId);
        } catch (error) {
          died = { error };
          actor.stop();
          throw error;
        }
      }
    : undefined;
  const machine = controller.provide({ actors: actorsFor(host, failpoint ? { failpoint } : {}) });
  const actor = createActor(machine, {
    clock: xstateClockFor(host.clock),
    input: {
      config: host.config,
      target,
      generation: options.generation ?? null,
      runId: options.runId ?? `${host.clock.now().toISOString()}-${Math.random().toString(36).slice(2, 10)}`,
      bootId,
      pid: options.pid ?? 0,
      now: () => host.clock.monotonicMs(),
      wall: () => host.clock.now().toISOString(),
      lockWaitMs: options.lockWaitMs ?? 0,
    },
  });
  const graceTimer = new AbortController();
  const interrupt = () => {
    actor.send({ type: 'INTERRUPT' });
    host.clock.sleep(options.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS, graceTimer.signal).then(
      () => actor.send({ type: 'ABANDON_STEP' }),
      () => undefined,
    );
  };
  return new Promise<TransitionRecord>((resolve, reject) => {
    actor.subscribe({
      complete: () => {
        graceTimer.abort();
        options.signal?.removeEventListener('abort', interrupt);
        const output = actor.getSnapshot().output;
        if (died) reject(asError(died.error));
        else if (output) resolve(output);
        else reject(new Error('the controller stopped without a record; this is a bug in the chart'));
      },
      error: (error) => {
        graceTimer.abort();
        options.signal?.removeEventListener('abort', interrupt);
        reject(asError(error));
      },
    });
    actor.start();
    if (options.signal?.aborted) interrupt();
    else options.signal?.addEventListener('abort', interrupt, { once: true });
  });
}
