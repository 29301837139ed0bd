// The last N events of the audit log without reading a large log whole: read
// blocks from the end until N complete lines are in hand. Lines that are not
// events (a torn tail, NUL runs from a power loss, garbage) are skipped and
// counted, as the records layer's reader does.
import { open } from 'node:fs/promises';
import type { AuditEvent } from '../../schemas/records.ts';
import * as validators from '../records/validators.generated.js';

const BLOCK = 256 * 1024;

export interface Tail {
  events: AuditEvent[];
  skipped: number;
}

export async function readTail(path: string, count: number): Promise<Tail> {
  const handle = await open(path, 'r');
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
    return parseLines(lines, count);
  } finally {
    await handle.close();
  }
}

/** Pure: the last `count` events of these lines; a final line without "\n" is a torn tail. */
export function parseLines(lines: readonly string[], count: number): Tail {
  const complete = lines.slice(0, -1);
  const torn = (lines[lines.length - 1] ?? '') !== '';
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
