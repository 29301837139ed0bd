// Reads of files whose size the controller does not control (a model
// bundle someone copied by hand): never more than a bound, and an absent
// file is a value, not an exception.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { errorCode } from './fact-builders.ts';

export type BoundedRead<T> =
  | { kind: 'ok'; value: T; sizeBytes: number }
  | { kind: 'absent' }
  | { kind: 'too-large'; sizeBytes: number }
  | { kind: 'error'; error: unknown };

/** The whole file as UTF-8, when it is at most `maxBytes` long. */
export async function readTextBounded(path: string, maxBytes: number): Promise<BoundedRead<string>> {
  return withFile<string>(path, async (handle, sizeBytes) => {
    if (sizeBytes > maxBytes) return { kind: 'too-large', sizeBytes };
    const { buffer, bytesRead } = await readAt(handle, 0, sizeBytes);
    return { kind: 'ok', value: buffer.subarray(0, bytesRead).toString('utf8'), sizeBytes };
  });
}

/** Opens `path`, hands the handle and its size to `use`, and closes it. */
export async function withFile<T>(path: string, use: (handle: Awaited<ReturnType<typeof open>>, sizeBytes: number) => Promise<BoundedRead<T>>): Promise<BoundedRead<T>> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    // O_NONBLOCK: a FIFO (or a device) under a weight file's name must not block the open until a writer comes;
    // on a regular file it changes nothing
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'error', error: new Error(`${path} is not a regular file`) };
    return await use(handle, info.size);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'error', error };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Up to `length` bytes from `position`; fewer only at the end of the file. */
export async function readAt(handle: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
  const buffer = Buffer.alloc(length);
  let bytesRead = 0;
  while (bytesRead < length) {
    const { bytesRead: n } = await handle.read(buffer, bytesRead, length - bytesRead, position + bytesRead);
    if (n === 0) break;
    bytesRead += n;
  }
  return { buffer, bytesRead };
}
