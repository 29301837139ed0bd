// Reads one record for the read-only verbs: JSON.parse plus a precompiled
// validator, never zod. Missing is a normal state (nothing recorded yet);
// anything else that goes wrong is "unreadable" with the reason, and the
// verb shows it instead of crashing.
// Sync reads of a few small local files: node:fs/promises would load Node's
// streams and readline on the path of `mode status` (a few ms of its start).
import { readFileSync, statSync } from 'node:fs';
import { describeError } from '../../shared/describe-error.ts';

export type RecordRead<T> =
  | { status: 'ok'; value: T }
  | { status: 'missing' }
  | { status: 'unreadable'; reason: string };

export interface Validator<T> {
  (data: unknown): data is T;
  errors?: { instancePath: string; message?: string }[] | null;
}

/** The records layer's cap too: a runaway file cannot stall `mode status`. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

const errnoOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

export function readRecord<T>(path: string, validate: Validator<T>): Promise<RecordRead<T>> {
  return new Promise((resolve) => resolve(readRecordNow(path, validate)));
}

function readRecordNow<T>(path: string, validate: Validator<T>): RecordRead<T> {
  let text: string;
  try {
    const { size } = statSync(path);
    if (size > MAX_RECORD_BYTES) return { status: 'unreadable', reason: `${path} is ${size} bytes, more than a record may have` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const errno = errnoOf(error);
    if (errno === 'ENOENT') return { status: 'missing' };
    if (errno === 'EACCES') return { status: 'unreadable', reason: `${path} is not readable by this user (permission denied)` };
    return { status: 'unreadable', reason: `cannot read ${path}: ${describeError(error)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { status: 'unreadable', reason: `${path} is not valid JSON (${describeError(error)})` };
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where = first ? ` at ${first.instancePath || '/'}: ${first.message ?? 'invalid'}` : '';
    return { status: 'unreadable', reason: `${path} does not match its schema${where}` };
  }
  return { status: 'ok', value: data };
}
