// The controller lock: flock(2) on <runtime>/lock, taken through flock(1) on a
// descriptor this process keeps open (see flock-tool.ts). The kernel releases
// it when the holder exits or is killed, so a stale lock cannot exist and no
// clock or mtime is ever consulted. The holder note beside it is for people.
import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockHolderNote } from '../../schemas/runtime-records.ts';
import { LockHolderNote as LockHolderNoteSchema } from '../../schemas/runtime-records.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { failureFromError } from './failure.ts';
import type { RecordsFailure } from './failure.ts';
import { flockDescriptor } from './flock-tool.ts';
import type { FlockOptions } from './flock-tool.ts';
import { RUNTIME_FILES } from './paths.ts';
import { readJsonFile } from './read-json.ts';

export interface LockOptions extends FlockOptions {
  /** lock file name inside the folder; `lock` unless a second, independent lock is wanted */
  fileName?: string | undefined;
  /** holder note file name; null writes none */
  noteName?: string | null | undefined;
  runId?: string | null | undefined;
  bootId?: string | null | undefined;
  /** wall time for the note only; never used to judge the lock */
  now?: (() => Date) | undefined;
}

export type LockAttempt =
  | { acquired: true; path: string; release: () => Promise<void> }
  | { acquired: false; busy: true; holder: string | null; note: LockHolderNote | null }
  | { acquired: false; busy: false; holder: null; failure: RecordsFailure };

// 0600: flock(2) works on a read-only descriptor, so anyone able to open the
// file could hold the controller's lock forever. Only root may open it.
const LOCK_MODE = 0o600;
const NOTE_MODE = 0o644;
const OPEN_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;

export function describeHolder(note: LockHolderNote): string {
  return `pid ${note.pid}${note.runId ? `, run ${note.runId}` : ''}, since ${note.startedAt}${note.bootId ? `, boot ${note.bootId}` : ''}`;
}

export async function readHolderNote(path: string): Promise<LockHolderNote | null> {
  const result = await readJsonFile(path, LockHolderNoteSchema);
  return result.status === 'ok' ? result.value : null;
}

export async function acquireLock(dir: string, options: LockOptions = {}): Promise<LockAttempt> {
  const path = join(dir, options.fileName ?? RUNTIME_FILES.lock);
  const notePath = options.noteName === null ? null : join(dir, options.noteName ?? RUNTIME_FILES.lockHolder);
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS, LOCK_MODE);
  } catch (error) {
    return { acquired: false, busy: false, holder: null, failure: failureFromError(error, 'open lock file', path) };
  }
  const fail = async (failure: RecordsFailure): Promise<LockAttempt> => {
    await handle.close().catch(() => undefined);
    return { acquired: false, busy: false, holder: null, failure };
  };
  try {
    // A file created earlier by someone else (flock(1) creates 0644) is narrowed.
    await handle.chmod(LOCK_MODE);
  } catch (error) {
    return fail(failureFromError(error, 'chmod lock file', path));
  }
  const outcome = await flockDescriptor(handle.fd, path, options);
  if (outcome.status === 'failed') return fail(outcome.failure);
  if (outcome.status === 'busy') {
    await handle.close().catch(() => undefined);
    const note = notePath === null ? null : await readHolderNote(notePath);
    return { acquired: false, busy: true, holder: note ? describeHolder(note) : null, note };
  }
  if (notePath !== null) {
    const note: LockHolderNote = {
      schemaVersion: 1,
      pid: process.pid,
      runId: options.runId ?? null,
      bootId: options.bootId ?? null,
      startedAt: (options.now ?? (() => new Date()))().toISOString(),
    };
    // The note is also the probe that the runtime folder takes writes: a full or
    // read-only /run fails here, before the run has touched anything. Volatile
    // (no fsync): it is for display, removed on release, and a power cut that
    // could lose it also ends its holder (the lock dies with the process).
    const written = await writeJsonAtomic(notePath, note, NOTE_MODE, 'volatile');
    if (!written.ok) return fail(written.failure);
  }
  let released = false;
  return {
    acquired: true,
    path,
    release: async () => {
      if (released) return;
      released = true;
      // Remove the note while still holding the lock, so a successor's note is never deleted.
      if (notePath !== null) await unlink(notePath).catch(() => undefined);
      await handle.close().catch(() => undefined);
    },
  };
}
