// Appends one line so that the file only ever gains whole records. The caller
// holds the audit lock, so this is the only writer, which is what makes it safe
// to truncate back after a failed write (ENOSPC would otherwise leave a partial
// record that the next append turns into a corrupt line mid-file, §3.1).
// Durable: the line is fsynced before the append answers. The folder is
// fsynced only when this append created the file (the first record, or the
// first after a rotation): appending to an existing file changes no entry of
// the folder, so a folder fsync then would write nothing a power cut could lose.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory } from './atomic-write.ts';
import { failureFromError } from './failure.ts';
import type { RecordsFailure } from './failure.ts';

export type AppendResult =
  | { ok: true; offset: number; bytes: number; repairedTail: boolean }
  | { ok: false; failure: RecordsFailure; restored: boolean };

const NEWLINE = 0x0a;

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}

const APPEND = constants.O_RDWR | constants.O_APPEND;

const hasCode = (error: unknown, code: string): boolean => typeof error === 'object' && error !== null && 'code' in error && error.code === code;

/** Opens for appending, and says whether this call created the file (so its folder entry is new). */
async function openForAppend(path: string, mode: number): Promise<{ handle: FileHandle; created: boolean }> {
  try {
    return { handle: await open(path, APPEND), created: false };
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
  }
  try {
    return { handle: await open(path, APPEND | constants.O_CREAT | constants.O_EXCL, mode), created: true };
  } catch (error) {
    // created in between by a writer outside the audit lock (a test, an operator)
    if (!hasCode(error, 'EEXIST')) throw error;
    return { handle: await open(path, APPEND), created: false };
  }
}

export async function appendLine(path: string, line: string, mode: number): Promise<AppendResult> {
  if (!line.endsWith('\n') || line.indexOf('\n') !== line.length - 1) {
    throw new TypeError('appendLine takes exactly one line ending in "\\n"');
  }
  let handle: FileHandle;
  let created: boolean;
  try {
    ({ handle, created } = await openForAppend(path, mode));
  } catch (error) {
    return { ok: false, failure: failureFromError(error, 'open audit log', path), restored: true };
  }
  let size = 0;
  let step = 'inspect';
  try {
    const stat = await handle.stat();
    size = stat.size;
    if ((stat.mode & 0o777) !== mode) await handle.chmod(mode);
    // A crash mid-append leaves a tail without "\n"; terminate it so that the
    // fragment becomes one skipped line instead of corrupting our record.
    const repairedTail = !(await endsWithNewline(handle, size));
    const data = Buffer.from(repairedTail ? `\n${line}` : line, 'utf8');
    step = 'append to';
    const { bytesWritten } = await handle.write(data, 0, data.length);
    if (bytesWritten !== data.length) {
      const restored = await truncateBack(handle, size);
      return {
        ok: false,
        restored,
        failure: {
          code: 'short-write',
          operation: 'append to',
          path,
          errno: null,
          message: `cannot append to ${path}: only ${bytesWritten} of ${data.length} bytes were written (the file system is probably full); ${restored ? 'the partial record was removed' : 'a partial record may remain, readers skip it'}`,
        },
      };
    }
    step = 'fsync';
    await handle.sync();
    if (created) {
      const synced = await fsyncDirectory(dirname(path));
      // the line is written and synced, only its file's name may not survive a power cut; say so rather than truncate it
      if (!synced.ok) return { ok: false, failure: synced.failure, restored: false };
    }
    return { ok: true, offset: size, bytes: data.length, repairedTail };
  } catch (error) {
    const restored = step === 'inspect' ? true : await truncateBack(handle, size);
    return { ok: false, failure: failureFromError(error, `${step} audit log`, path), restored };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function truncateBack(handle: FileHandle, size: number): Promise<boolean> {
  try {
    await handle.truncate(size);
    await handle.sync();
    return true;
  } catch {
    return false;
  }
}
