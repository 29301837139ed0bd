// Rotation by rename, done by the writer under the audit lock: events.jsonl
// becomes events.jsonl.1, .1 becomes .2, ... and the oldest beyond `keep` is
// dropped. No copy-and-truncate, which loses lines written in between.
import { rename, stat, unlink } from 'node:fs/promises';
import { fsyncDirectory } from './atomic-write.ts';
import { failureFromError } from './failure.ts';
import type { WriteResult } from './failure.ts';

export const rotatedPath = (path: string, index: number): string => (index === 0 ? path : `${path}.${index}`);

/** Oldest first: events.jsonl.<keep> ... events.jsonl.1, events.jsonl — the order records were written in. */
export function auditFilesOldestFirst(path: string, keep: number): string[] {
  const files: string[] = [];
  for (let index = keep; index >= 0; index -= 1) files.push(rotatedPath(path, index));
  return files;
}

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

export async function rotateAuditLog(path: string, keep: number): Promise<WriteResult> {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  try {
    await unlink(rotatedPath(path, keep)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
    // Each rename is atomic; a crash between two of them leaves a gap in the
    // numbering, which readers skip, but never a lost or doubled record.
    for (let index = keep - 1; index >= 0; index -= 1) {
      await rename(rotatedPath(path, index), rotatedPath(path, index + 1)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    }
  } catch (error) {
    return { ok: false, failure: failureFromError(error, 'rotate', path) };
  }
  return fsyncDirectory(dir);
}

/** Rotates when appending `incomingBytes` would take the file past `maxBytes`. */
export async function rotateIfFull(path: string, maxBytes: number, keep: number, incomingBytes: number): Promise<WriteResult & { rotated?: boolean }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if (isMissing(error)) return { ok: true, rotated: false };
    return { ok: false, failure: failureFromError(error, 'inspect', path) };
  }
  if (size === 0 || size + incomingBytes <= maxBytes) return { ok: true, rotated: false };
  const rotated = await rotateAuditLog(path, keep);
  return rotated.ok ? { ok: true, rotated: true } : rotated;
}
