// Reads the audit log across its rotated files, oldest first. It never fails:
// a file that cannot be read is one more counted problem, and `mode status`
// renders what is there.
import { readFile } from 'node:fs/promises';
import { parseAuditText } from './audit-parse.ts';
import type { ParsedAudit } from './audit-parse.ts';
import { auditFilesOldestFirst } from './audit-rotate.ts';
import { lastOfFile } from './audit-tail.ts';
import { describeError } from '../../shared/describe-error.ts';

export interface AuditReadResult extends ParsedAudit {
  /** the files that existed and were read, oldest first */
  files: string[];
}

type FileText = { status: 'ok'; text: string } | { status: 'missing' } | { status: 'error'; message: string };

async function readText(path: string): Promise<FileText> {
  try {
    return { status: 'ok', text: await readFile(path, 'utf8') };
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return { status: 'missing' };
    return { status: 'error', message: describeError(error) };
  }
}

export async function readAuditLog(path: string, keep: number): Promise<AuditReadResult> {
  const result: AuditReadResult = { events: [], skipped: 0, problems: [], files: [] };
  for (const file of auditFilesOldestFirst(path, keep)) {
    const text = await readText(file);
    if (text.status === 'missing') continue;
    if (text.status === 'error') {
      result.skipped += 1;
      result.problems.push({ file, line: 0, kind: 'unreadable-file', excerpt: text.message });
      continue;
    }
    const parsed = parseAuditText(text.text, file);
    result.files.push(file);
    result.events.push(...parsed.events);
    result.skipped += parsed.skipped;
    result.problems.push(...parsed.problems);
  }
  return result;
}

/** Newest first through the files until one holds a record, counting a final fragment (the next append completes it); null for an empty or absent log. */
export async function lastAuditedSeq(path: string, keep: number, chunkBytes?: number): Promise<number | null> {
  for (const file of auditFilesOldestFirst(path, keep).reverse()) {
    const seq = await lastOfFile(file, { fragment: true, chunkBytes }, (event) => event.seq);
    if (seq !== null) return seq;
  }
  return null;
}

/** The newest `desired` event's generation, so generations keep rising after /run is wiped by a reboot. */
export async function lastAuditedGeneration(path: string, keep: number, chunkBytes?: number): Promise<number | null> {
  for (const file of auditFilesOldestFirst(path, keep).reverse()) {
    const generation = await lastOfFile(file, { fragment: false, chunkBytes }, (event) => (event.event === 'desired' ? event.generation : null));
    if (generation !== null) return generation;
  }
  return null;
}
