// What the follower of a request waits on between two looks: a change to one
// of the files it reads (inotify through effects/folder-watch.ts, on their
// folders, not the files, since records are replaced by rename and the audit
// log is rotated by rename), or a timer, whichever comes first. Other files of
// those folders (the lock's holder note, the intent, the temporary files of
// an atomic write) do not wake it: each wake reads the log and the record,
// on a machine whose controller is busy running the switch. A change that comes
// while the follower is busy looking is kept and ends the next wait at once,
// so none is lost between a look and the wait after it. A folder that cannot
// be watched (no permission, the inotify limit) only leaves the timer: the
// follower then polls, as it did before it had a watch.
import { watchFolder, type FolderWatch } from '../../effects/folder-watch.ts';

export type Woken = 'changed' | 'timeout';

export interface Wake {
  /** resolves after `ms`, or earlier once a watched folder changed since the last wait */
  wait(ms: number): Promise<Woken>;
  /** ends the watches and a pending wait (which resolves as 'timeout'); nothing is left to keep the process alive */
  close(): void;
}

export interface WatchedFolder {
  dir: string;
  /** the names in it whose change wakes the follower; a notice without a name (the folder was re-watched) always does */
  names: readonly string[];
}

export function folderWake(folders: readonly WatchedFolder[]): Wake {
  let changed = false;
  let pending: { resolve: (woken: Woken) => void; timer: NodeJS.Timeout } | null = null;
  let closed = false;

  const settle = (woken: Woken): void => {
    if (pending === null) return;
    const { resolve, timer } = pending;
    pending = null;
    clearTimeout(timer);
    resolve(woken);
  };
  const notice = (): void => {
    if (closed) return;
    if (pending !== null) settle('changed');
    else changed = true;
  };
  // a folder that cannot be watched is not an error of the request: its timer still bounds every wait
  const ignore = (): void => undefined;
  const watches: FolderWatch[] = folders.map(({ dir, names }) =>
    watchFolder(dir, {
      changed: (name) => {
        if (name === null || names.includes(name)) notice();
      },
      waiting: ignore,
      failed: ignore,
    }),
  );

  return {
    wait(ms) {
      if (closed) return Promise.resolve('timeout');
      if (changed) {
        changed = false;
        return Promise.resolve('changed');
      }
      settle('timeout');
      return new Promise<Woken>((resolve) => {
        pending = { resolve, timer: setTimeout(() => settle('timeout'), Math.max(0, ms)) };
      });
    },
    close() {
      closed = true;
      for (const watch of watches) watch.close();
      settle('timeout');
    },
  };
}
