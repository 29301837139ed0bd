// Parses /proc/meminfo. MemAvailable exists only since Linux 3.14; when it is
// missing the value is null and stays null: MemFree is not a substitute (it
// leaves out reclaimable page cache) and guessing would pass a memory guard.
import type { Memory } from '../../../schemas/facts.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

const LINE = /^([A-Za-z0-9_()]+):\s+(\d+)(?: (kB))?$/;

export function parseMeminfo(text: string): ParseResult<Memory & { fields: Record<string, number> }> {
  const lines = splitLines(text);
  if (text.trim() === '') return emptyInput('/proc/meminfo ("MemTotal:  16384 kB" lines)');
  const fields: Record<string, number> = {};
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trimEnd());
    if (!match) return failAt(lines, i + 1, 'expected "Name:  value kB" as in /proc/meminfo');
    fields[match[1]!] = Number(match[2]);
  }
  if (fields.MemTotal === undefined) return failAt(lines, null, 'no MemTotal line: this is not /proc/meminfo');
  return parseOk({ memTotalKiB: fields.MemTotal, memAvailableKiB: fields.MemAvailable ?? null, fields });
}
