// The audit log's new lines, from where the last read stopped. The log is
// rotated by rename (events.jsonl becomes events.jsonl.1 and a new file
// starts), so the tail keeps its own descriptor: after a rotation it reads
// the old file to its end through that descriptor, then starts the new one
// at 0, and no line appended just before the rename is lost. A last line
// without "\n" is kept back until the rest of it arrives: an append in
// progress completes it, and a writer that died is followed by one that
// terminates the fragment (append-line.ts), which then reads as one skipped line.
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { AuditEvent } from '../../schemas/records.ts';
import { describeError } from '../../shared/describe-error.ts';
import { parseLines } from '../history/read-tail.ts';

export interface TailRead {
  events: AuditEvent[];
  /** complete lines that are not audit events, and fragments a rotation cut off */
  skipped: number;
  /** why the log cannot be read (permission denied, ...); null when it can, or does not exist yet */
  problem: string | null;
}

export interface AuditTail {
  read(): Promise<TailRead>;
  close(): Promise<void>;
}

/** A line is at most 4096 bytes (audit-line.ts): this much of the end holds the start of a torn last line. */
const TAIL_PROBE_BYTES = 8192;
const NEWLINE = 0x0a;

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Starts at the end of the log as it is now: only what is appended from here on is read. */
export async function openAuditTail(path: string): Promise<AuditTail> {
  let handle: FileHandle | null = null;
  let ino = -1;
  let offset = 0;
  let partial: Buffer = Buffer.alloc(0);

  const describe = (error: unknown): string =>
    errnoOf(error) === 'EACCES' ? `${path} is not readable by this user (permission denied)` : `cannot read ${path}: ${describeError(error)}`;

  const attach = async (): Promise<{ ok: true } | { ok: false; problem: string | null }> => {
    try {
      handle = await open(path, 'r');
      ino = (await handle.stat()).ino;
      offset = 0;
      partial = Buffer.alloc(0);
      return { ok: true };
    } catch (error) {
      handle = null;
      return { ok: false, problem: errnoOf(error) === 'ENOENT' ? null : describe(error) };
    }
  };

  const drain = async (from: FileHandle): Promise<Buffer> => {
    const { size } = await from.stat();
    if (size < offset) {
      // truncated in place (nobody should, but then the file starts again)
      offset = 0;
      partial = Buffer.alloc(0);
    }
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = buffer.length === 0 ? { bytesRead: 0 } : await from.read(buffer, 0, buffer.length, offset);
    offset += bytesRead;
    return buffer.subarray(0, bytesRead);
  };

  const first = await attach();
  if (first.ok && handle !== null) {
    const opened: FileHandle = handle;
    const { size } = await opened.stat();
    const probe = Math.min(size, TAIL_PROBE_BYTES);
    const end = Buffer.alloc(probe);
    await opened.read(end, 0, probe, size - probe);
    const lastNewline = end.lastIndexOf(NEWLINE);
    offset = size;
    partial = lastNewline === -1 && size > probe ? Buffer.alloc(0) : end.subarray(lastNewline + 1);
  }
  let startProblem = first.ok ? null : first.problem;

  return {
    async read(): Promise<TailRead> {
      const read: TailRead = { events: [], skipped: 0, problem: null };
      if (startProblem !== null) {
        read.problem = startProblem;
        startProblem = null;
      }
      const chunks: Buffer[] = [partial];
      try {
        if (handle !== null) chunks.push(await drain(handle));
        let current: number | null = null;
        try {
          current = (await stat(path)).ino;
        } catch (error) {
          if (errnoOf(error) !== 'ENOENT') throw error;
        }
        if (current !== ino) {
          // rotated (or removed): what is left of the old file has been read above
          const rest = Buffer.concat(chunks);
          if (rest.length > 0 && rest.lastIndexOf(NEWLINE) !== rest.length - 1) read.skipped += 1;
          chunks.splice(0, chunks.length, rest.subarray(0, rest.lastIndexOf(NEWLINE) + 1));
          await handle?.close().catch(() => undefined);
          handle = null;
          ino = -1;
          if (current !== null) {
            const attached = await attach();
            if (!attached.ok) read.problem = attached.problem;
            else if (handle !== null) chunks.push(await drain(handle));
          }
        }
      } catch (error) {
        read.problem = describe(error);
      }
      const text = Buffer.concat(chunks);
      const end = text.lastIndexOf(NEWLINE) + 1;
      partial = text.subarray(end);
      // complete lines only, so the last element is '' and never counts as a torn tail
      const parsed = parseLines(text.subarray(0, end).toString('utf8').split('\n'), Infinity);
      read.events = parsed.events;
      read.skipped += parsed.skipped;
      return read;
    },
    async close() {
      await handle?.close().catch(() => undefined);
      handle = null;
    },
  };
}

