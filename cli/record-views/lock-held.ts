// Whether a controller run holds the lock, asked of the kernel: the lock file
// is root-only (0600), so a user cannot try it, but /proc/locks lists every
// flock(2) by device and inode for anyone. A held lock is a run in flight.
// Sync, like cli/record-views/read.ts: node:fs/promises would load Node's streams on the path of `mode status`.
import { readFileSync, statSync } from 'node:fs';

/** true: held; false: free (or no lock file yet); null: cannot tell. */
export function lockHeld(lockPath: string, procLocks = '/proc/locks'): Promise<boolean | null> {
  return new Promise((resolve) => resolve(lockHeldNow(lockPath, procLocks)));
}

function lockHeldNow(lockPath: string, procLocks: string): boolean | null {
  let dev: number;
  let ino: number;
  try {
    ({ dev, ino } = statSync(lockPath));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : null;
  }
  let table: string;
  try {
    table = readFileSync(procLocks, 'utf8');
  } catch {
    return null;
  }
  return locksTableHolds(table, dev, ino);
}

/**
 * Pure part: does a /proc/locks table list a lock on (dev, ino)? The kernel
 * prints MAJOR:MINOR in hex; st_dev uses glibc's encoding of the same numbers.
 */
export function locksTableHolds(table: string, dev: number, ino: number): boolean {
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00);
  for (const line of table.split('\n')) {
    const match = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+-?\d+\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!match || line.includes('->')) continue;
    if (parseInt(match[1]!, 16) === major && parseInt(match[2]!, 16) === minor && Number(match[3]) === ino) return true;
  }
  return false;
}
