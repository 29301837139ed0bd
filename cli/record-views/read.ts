// Reads one record for the read-only verbs: JSON.parse and the record's view
// (schemas/cli-views.ts), never zod. Missing is a normal state (nothing
// recorded yet); anything else that goes wrong is "unreadable" with the
// reason, and the verb shows it instead of crashing.
//
// The view is checked in two steps, both generated from the same JSON Schema
// (scripts/generate-cli-validators.ts): cli/record-views/schema-check.ts
// walks it, and only when that says no is ajv's precompiled validator loaded
// to decide and to name the problem. Parsing and compiling that code was
// about a third of a cold `mode status` (docs/cli.md, "Speed").
// Sync reads of a few small local files: node:fs/promises would load Node's
// streams and readline on the path of `mode status` (a few ms of its start).
import { readFileSync, statSync } from 'node:fs';
import { describeError } from '../../shared/describe-error.ts';
import { conforms } from './schema-check.ts';
import type * as Validators from './validators.generated.js';
import { schemas } from './view-schemas.generated.js';

export type RecordRead<T> =
  | { status: 'ok'; value: T }
  | { status: 'missing' }
  | { status: 'unreadable'; reason: string };

export type ViewName = keyof typeof Validators;
/** What a record read through the view `K` is (the type its ajv validator guards). */
export type ViewOf<K extends ViewName> = (typeof Validators)[K] extends (data: unknown) => data is infer T ? T : never;

/** The records layer's cap too: a runaway file cannot stall `mode status`. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

const errnoOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

export async function readRecord<K extends ViewName>(path: string, view: K): Promise<RecordRead<ViewOf<K>>> {
  const read = readJson(path);
  if (read.status !== 'ok' || conforms(schemas[view], read.value)) return read as RecordRead<ViewOf<K>>;
  const validate = (await import('./validators.generated.js'))[view];
  if (validate(read.value)) return read as RecordRead<ViewOf<K>>;
  const first = validate.errors?.[0];
  const where = first ? ` at ${first.instancePath || '/'}: ${first.message ?? 'invalid'}` : '';
  return { status: 'unreadable', reason: `${path} does not match its schema${where}` };
}

function readJson(path: string): RecordRead<unknown> {
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
  try {
    return { status: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { status: 'unreadable', reason: `${path} is not valid JSON (${describeError(error)})` };
  }
}
