// Removes temp files that a writer killed mid-write left behind. Only ever run
// while holding the lock that guards the files concerned: otherwise it could
// delete the temp file of a live writer just before its rename. No fsync of
// the folder after the unlinks: a stray that a power cut brings back is the
// same stray, swept again by the next holder, and never read by anyone.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_NAME } from './atomic-write.ts';
import { failureFromError } from './failure.ts';
import type { RecordsFailure } from './failure.ts';

export interface SweepResult {
  removed: string[];
  failures: RecordsFailure[];
}

/** `owns(target)` says whether the caller's lock guards temp files of `target` (a base name). */
export async function sweepTempFiles(dir: string, owns: (target: string) => boolean): Promise<SweepResult> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    return { removed: [], failures: [failureFromError(error, 'list', dir)] };
  }
  const removed: string[] = [];
  const failures: RecordsFailure[] = [];
  for (const name of names) {
    const target = TEMP_NAME.exec(name)?.groups?.target;
    if (target === undefined || !owns(target)) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch (error) {
      failures.push(failureFromError(error, 'remove stray temp file', join(dir, name)));
    }
  }
  return { removed, failures };
}
