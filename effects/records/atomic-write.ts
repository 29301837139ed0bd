// Writes a file so that a reader sees either the old or the new content, even
// when the writer is SIGKILLed halfway: temp file opened `wx`, written, renamed
// over the target. (A plain writeFile left unparseable JSON in 56 of 150
// SIGKILL trials; this recipe in 0 of 150 — reliability-anchors §3.1.) The
// rename alone is what survives a SIGKILL: the page cache outlives the process.
// Only a power cut needs the fsyncs, so a `durable` write (the state folder:
// intent.json) also fsyncs the temp file and then the folder, and a `volatile`
// one (the runtime folder's records, see runtime-files.ts) does neither.
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomHex8 } from '../kernel-uuid.ts';
import { failureFromError } from './failure.ts';
import type { WriteResult } from './failure.ts';

/** `name.tmp-<pid>-<rand>`: the pid says who left it, the random part keeps two writers apart. */
// from the kernel, not Web Crypto, whose load costs a --jitless run ~1.7 MB of peak RSS (effects/kernel-uuid.ts)
export const tempPathFor = (path: string): string => `${path}.tmp-${process.pid}-${randomHex8()}`;

export const TEMP_NAME = /^(?<target>.+)\.tmp-\d+-[0-9a-f]+$/;

/** fsync of the folder makes a rename or an unlink inside it survive a crash of the machine. */
export async function fsyncDirectory(dir: string): Promise<WriteResult> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: failureFromError(error, 'fsync folder', dir) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * What a write must survive. `durable`: a power cut (fsync of the file before
 * the rename, of the folder after it). `volatile`: a SIGKILLed writer only —
 * for files whose loss at a power cut is harmless because nothing would be
 * left of them anyway (a tmpfs) or because they are rebuilt.
 */
export type Durability = 'durable' | 'volatile';

/** `mode` is applied with fchmod, so the process umask cannot widen or narrow it. */
export async function writeFileAtomic(path: string, content: string, mode: number, durability: Durability = 'durable'): Promise<WriteResult> {
  const temp = tempPathFor(path);
  let handle: FileHandle | null = null;
  let step = 'create';
  try {
    handle = await open(temp, 'wx', mode);
    step = 'chmod';
    await handle.chmod(mode);
    step = 'write';
    await handle.writeFile(content, 'utf8');
    if (durability === 'durable') {
      step = 'fsync';
      await handle.sync();
    }
    step = 'close';
    await handle.close();
    handle = null;
    step = 'rename';
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    return { ok: false, failure: failureFromError(error, step === 'rename' ? 'rename into place' : `${step} temp file for`, step === 'rename' ? path : temp) };
  }
  return durability === 'durable' ? fsyncDirectory(dirname(path)) : { ok: true };
}

export function writeJsonAtomic(path: string, value: unknown, mode: number, durability: Durability = 'durable'): Promise<WriteResult> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode, durability);
}
