// Reads one audit file from its end, newest record first. An append needs the
// last seq and a desired write the last generation; both are in the newest
// lines, and reading the whole file for them made every append cost the file:
// at the rotation size (1 MiB, ~4 000 events) ~45 ms under --jitless, seven
// appends a request (issue 17, bench/README.md). Seqs and generations only
// grow along a file, since every writer assigns them under the audit lock as
// the last one + 1 (audit-log.ts, desired.ts), so the first record found from
// the end is the highest. Lines are split as parseAuditText splits them: at
// "\n", then at NUL runs, and a final fragment without "\n" is a record only
// when the caller says so.
import { open } from 'node:fs/promises';
import type { AuditEvent } from '../../schemas/records.ts';
import { parseAuditSegment } from './audit-parse.ts';

const NEWLINE = 0x0a;
const NUL_RUN = /\0+/;
// a line is at most 4 KiB (audit-line.ts), so one read holds the newest few
export const TAIL_CHUNK_BYTES = 16 * 1024;

export interface TailOptions {
  /** count the unterminated fragment after the last "\n" (what the next append completes) */
  fragment: boolean;
  /** bytes per read; tests make it small to cross lines */
  chunkBytes?: number | undefined;
}

interface Line {
  bytes: Buffer;
  terminated: boolean;
}

/** The lines from the last to the first, as bytes, so a read that ends inside a UTF-8 character splits nothing. */
async function* linesFromEnd(path: string, chunkBytes: number): AsyncGenerator<Line> {
  const handle = await open(path, 'r');
  try {
    let end = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    let terminated = false;
    while (end > 0) {
      const start = Math.max(0, end - chunkBytes);
      const chunk = Buffer.allocUnsafe(end - start);
      for (let read = 0; read < chunk.length; ) {
        const { bytesRead } = await handle.read(chunk, read, chunk.length - read, start + read);
        // only a writer outside the audit lock truncates; what is left is not this file's end any more
        if (bytesRead === 0) throw Object.assign(new Error(`${path} shrank while it was read`), { code: 'ESHRANK' });
        read += bytesRead;
      }
      const data = carry.length === 0 ? chunk : Buffer.concat([chunk, carry]);
      let stop = data.length;
      while (stop > 0) {
        const newline = data.lastIndexOf(NEWLINE, stop - 1);
        if (newline < 0) break;
        yield { bytes: data.subarray(newline + 1, stop), terminated };
        terminated = true;
        stop = newline;
      }
      carry = data.subarray(0, stop);
      end = start;
    }
    yield { bytes: carry, terminated };
  } finally {
    await handle.close();
  }
}

/** The file's valid records, newest first; a missing or unreadable file throws, as readFile would. */
export async function* recordsFromEnd(path: string, options: TailOptions): AsyncGenerator<AuditEvent> {
  for await (const line of linesFromEnd(path, options.chunkBytes ?? TAIL_CHUNK_BYTES)) {
    if (!line.terminated && !options.fragment) continue;
    const segments = line.bytes.toString('utf8').split(NUL_RUN);
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      const segment = segments[index]!;
      if (segment.trim() === '') continue;
      const parsed = parseAuditSegment(segment);
      if (parsed.ok) yield parsed.event;
    }
  }
}

/** The first non-null `pick` of the file's records from its end; null when none has one, or the file cannot be read. */
export async function lastOfFile<T>(path: string, options: TailOptions, pick: (event: AuditEvent) => T | null): Promise<T | null> {
  try {
    for await (const event of recordsFromEnd(path, options)) {
      const value = pick(event);
      if (value !== null) return value;
    }
  } catch (error) {
    // a file that cannot be read (gone, unreadable, cut short) is passed over for the older ones
    if (!(typeof error === 'object' && error !== null && 'code' in error)) throw error;
  }
  return null;
}
