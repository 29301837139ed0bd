// The audit lock, <state>/events.lock: every writer of the audit log takes it,
// so a seq is handed out once, a torn tail is repaired by exactly one writer
// and rotation happens under it; desired.json's generation is handed out under
// it too (desired.ts). Taken through flock(1) (lock.ts, flock-tool.ts), and
// each take spawns one: a fork of the whole node process.
//
// So a holder may keep it a moment after its work (`keep`): the next append,
// if it comes within `idleMs`, reuses the lock instead of spawning flock(1)
// again. The controller's run keeps it while it holds the controller lock
// (store.ts): its events come in bursts (the intent, a step every few tens of
// milliseconds, the outcome), and a run to studio-local takes it once instead
// of seven times. Others wait for it at most `maxMs` (counted from the take)
// plus one append longer than without keeping, far inside their 10 s wait:
// a kept lock is let go after `idleMs` without work, and the work that finds
// it held for `maxMs` or more lets it go and takes it anew, which gives a
// waiting flock(1) the lock first (the kernel wakes it on the close; the new
// take needs a spawn). The kernel frees it when the holder dies, as any flock.
import { join } from 'node:path';
// process.hrtime, not performance.now(), which loads all of Node's perf_hooks (issue 17)
import { monotonicMs } from '../monotonic.ts';
import type { RecordsFailure } from './failure.ts';
import { acquireLock } from './lock.ts';
import { STATE_FILES } from './paths.ts';

export interface AuditLockSettings {
  stateDir: string;
  flockPath?: string | undefined;
  /** how long a take waits for another writer */
  waitMs: number;
}

export interface KeepPolicy {
  /** let go after this long without work */
  idleMs: number;
  /** never keep it past this long after it was taken */
  maxMs: number;
}

/**
 * The controller run's. Measured in the sandbox under strace: a run's steps are
 * audited 15-45 ms apart, its outcome 215-260 ms after the last step (the
 * verification between), the whole burst ~450 ms after its intent event.
 */
export const RUN_KEEP: KeepPolicy = { idleMs: 400, maxMs: 1000 };

export type Keep = KeepPolicy | null | (() => KeepPolicy | null);

export type LockedResult<T> = { ok: true; value: T } | { ok: false; failure: RecordsFailure };

export interface AuditLock {
  /**
   * Runs `work` holding the audit lock; the work of one process runs one at a
   * time. `keep` (null: let go at once) says whether the lock stays taken after
   * it; a function is asked when the turn comes, not when it is queued.
   */
  withLock<T>(work: () => Promise<T>, keep: Keep): Promise<LockedResult<T>>;
  /** Lets go of a kept lock now (the run does when it lets go of the controller lock). */
  release(): Promise<void>;
}

interface Held {
  release: () => Promise<void>;
  takenAt: number;
}

export function createAuditLock(settings: AuditLockSettings, now: () => number = monotonicMs): AuditLock {
  let held: Held | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  // a turn of withLock is taking the lock, working under it or letting it go
  let busy = false;
  // release() came during a turn: that turn lets go after its work, whatever its keep
  let releaseAfterTurn = false;
  // the process's own appends in order: a kept lock is one holder, it does not keep them apart
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const turn = queue.then(task);
    queue = turn.catch(() => undefined);
    return turn;
  };

  const stopIdleTimer = (): void => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  };
  const letGo = async (): Promise<void> => {
    stopIdleTimer();
    const was = held;
    held = null;
    await was?.release();
  };
  const take = async (keep: KeepPolicy | null): Promise<LockedResult<null>> => {
    if (held !== null) {
      stopIdleTimer();
      if (keep !== null && now() - held.takenAt < keep.maxMs) return { ok: true, value: null };
      await letGo();
    }
    const lock = await acquireLock(settings.stateDir, { fileName: STATE_FILES.eventsLock, noteName: null, waitMs: settings.waitMs, flockPath: settings.flockPath });
    if (lock.acquired) {
      held = { release: lock.release, takenAt: now() };
      return { ok: true, value: null };
    }
    if (!lock.busy) return { ok: false, failure: lock.failure };
    const path = join(settings.stateDir, STATE_FILES.eventsLock);
    return {
      ok: false,
      failure: { code: 'lock-timeout', operation: 'lock', path, errno: null, message: `another writer held ${path} for more than ${settings.waitMs} ms; the audit record was not written` },
    };
  };
  const afterWork = async (keep: KeepPolicy | null): Promise<void> => {
    if (held === null) return;
    if (keep === null || releaseAfterTurn || now() - held.takenAt >= keep.maxMs) {
      await letGo();
      return;
    }
    idleTimer = setTimeout(() => void serially(letGo), Math.min(keep.idleMs, keep.maxMs - (now() - held.takenAt)));
    // a kept lock never keeps the process alive: its exit frees the lock
    idleTimer.unref();
  };

  return {
    withLock: <T>(work: () => Promise<T>, asked: Keep) =>
      serially(async (): Promise<LockedResult<T>> => {
        const keep = typeof asked === 'function' ? asked() : asked;
        busy = true;
        releaseAfterTurn = false;
        try {
          const taken = await take(keep);
          if (!taken.ok) return taken;
          try {
            return { ok: true, value: await work() };
          } finally {
            await afterWork(keep);
          }
        } finally {
          busy = false;
        }
      }),
    // Not behind the queue: an append stuck on a hung disk must not hold up the
    // controller lock's release. Between turns nothing works under the lock, so
    // it goes at once; during one, that turn lets go when its work ends.
    release: async () => {
      stopIdleTimer();
      if (busy) releaseAfterTurn = true;
      else await letGo();
    },
  };
}
