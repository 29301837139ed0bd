// The last N events of the audit log without reading a large log whole: read
// blocks from the end until N complete lines are in hand, then go on into the
// rotated files (events.jsonl.1, .2, ...) if the current one holds fewer.
// Lines that are not events (a torn tail, NUL runs from a power loss, garbage)
// are skipped and counted, as the records layer's reader does.
import { open } from 'node:fs/promises';
import type { AuditEvent } from '../../schemas/records.ts';
import * as validators from '../record-views/validators.generated.js';

const BLOCK = 256 * 1024;
/** More than the records layer keeps (5); a gap left by a crashed rotation is skipped. */
const MAX_ROTATED = 20;

export interface Tail {
  events: AuditEvent[];
  skipped: number;
}

/** The newest `count` events across events.jsonl and its rotations; throws only on the first file's IO errors other than ENOENT. */
export async function readTail(path: string, count: number): Promise<Tail> {
  const tail: Tail = { events: [], skipped: 0 };
  for (let index = 0; index <= MAX_ROTATED && tail.events.length < count; index += 1) {
    const file = index === 0 ? path : `${path}.${index}`;
    let lines: string[];
    try {
      lines = await tailLines(file, count - tail.events.length);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if (index === 0) throw error;
      break;
    }
    const older = parseLines(lines, count - tail.events.length);
    tail.events = [...older.events, ...tail.events];
    tail.skipped += older.skipped;
  }
  return tail;
}

async function tailLines(file: string, count: number): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    let start = size;
    let text = '';
    // Grow the window until it holds `count` full lines after its first (possibly partial) one.
    while (start > 0) {
      const length = Math.min(BLOCK, start);
      start -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, start);
      text = buffer.toString('utf8') + text;
      if (text.split('\n').length > count + 2) break;
    }
    const lines = text.split('\n');
    if (start > 0) lines.shift();
    return lines;
  } finally {
    await handle.close();
  }
}

/** Pure: the last `count` events of a file's lines; a final line without "\n" is a torn tail. */
export function parseLines(lines: readonly string[], count: number): Tail {
  const complete = lines.slice(0, -1);
  const torn = (lines[lines.length - 1] ?? '').replaceAll('\0', '') !== '';
  const events: AuditEvent[] = [];
  let skipped = torn ? 1 : 0;
  for (const line of complete) {
    for (const segment of line.split(/\0+/)) {
      if (segment.trim() === '') continue;
      const event = parseEvent(segment);
      if (event) events.push(event);
      else skipped += 1;
    }
  }
  return { events: events.slice(-count), skipped };
}

function parseEvent(text: string): AuditEvent | null {
  try {
    const value: unknown = JSON.parse(text);
    return validators.auditEvent(value) ? value : null;
  } catch {
    return null;
  }
}
