// Change notices for one folder, from inotify (node:fs watch): the records
// for mode watch, and for the controller the answers to a warning (its
// runtime folder and the notice agent's). The folder is watched, not its
// files: records are replaced by rename and the audit log is rotated by
// rename, and a watch on a file would follow the old inode away. A folder that does not exist yet (before the first run, or
// /run/mode-controller before mode-boot.service) is waited for by watching
// its nearest existing parent, and one that is removed is waited for again.
import { watch, statSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describeError } from '../shared/describe-error.ts';

export interface FolderEvents {
  /** something in the folder changed: a file name, or null for "look at everything" */
  changed(name: string | null): void;
  /** the folder does not exist (yet): watching `parent` for it */
  waiting(parent: string): void;
  /** the folder cannot be watched at all (permission, the inotify watch limit) */
  failed(message: string): void;
}

export interface FolderWatch {
  close(): void;
}

/** a folder is there (not a file, not nothing) */
const exists = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

function nearestExisting(path: string): string {
  let current = dirname(path);
  while (!exists(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

export function watchFolder(dir: string, on: FolderEvents): FolderWatch {
  let watcher: FSWatcher | null = null;
  let closed = false;
  const self = basename(dir);

  const stop = (): void => {
    watcher?.close();
    watcher = null;
  };

  /** `announce`: the first wait of a period, not a move to a parent created meanwhile */
  const watchParent = (announce: boolean): void => {
    const parent = nearestExisting(dir);
    if (announce) on.waiting(parent);
    try {
      watcher = watch(parent, { persistent: true }, () => {
        if (closed) return;
        if (exists(dir)) {
          stop();
          arm();
          on.changed(null);
        } else if (nearestExisting(dir) !== parent) {
          stop();
          watchParent(false);
        }
      });
      watcher.on('error', () => rearm());
    } catch (error) {
      on.failed(`cannot watch ${parent} for ${dir} to appear: ${describeError(error)}`);
      return;
    }
    // made between the look that found it missing and this watch: no event will say so
    if (exists(dir)) {
      stop();
      arm();
      on.changed(null);
    }
  };

  const arm = (): void => {
    try {
      watcher = watch(dir, { persistent: true }, (_kind, name) => {
        if (closed) return;
        // inotify reports the folder's own removal under its own name; it may be made again already, and
        // on tmpfs with the same inode number (measured: a removed folder's number is reused at once), so
        // the number cannot tell the new folder from the old: watch whatever is there now
        if (name === self) {
          rearm();
          return;
        }
        on.changed(name);
      });
      watcher.on('error', () => rearm());
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') watchParent(true);
      else on.failed(`cannot watch ${dir}: ${describeError(error)}${errnoOf(error) === 'ENOSPC' ? ' (the inotify watch limit, fs.inotify.max_user_watches, is reached)' : ''}`);
    }
  };

  const rearm = (): void => {
    if (closed) return;
    stop();
    arm();
    on.changed(null);
  };

  arm();
  return {
    close() {
      closed = true;
      stop();
    },
  };
}
