// Reads a JSON record without ever throwing: a file that is missing, too big,
// unparseable or does not match its schema is reported as unreadable with the
// reason, and the caller treats the state as unknown and observes again.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as z from 'zod';
import { describeError } from '../../shared/describe-error.ts';

export type UnreadableCode = 'missing' | 'too-large' | 'unparseable' | 'schema-invalid' | 'io-error';

export type ReadResult<T> =
  | { status: 'ok'; value: T }
  | { status: 'unreadable'; code: UnreadableCode; reason: string };

/** Large enough for a last-observation.json of a busy host; small enough that a runaway file cannot stall a run. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

const errnoOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';

export async function readJsonFile<T>(
  path: string,
  schema: z.ZodType<T>,
  maxBytes: number = MAX_RECORD_BYTES,
): Promise<ReadResult<T>> {
  let text: string;
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) {
      return { status: 'unreadable', code: 'too-large', reason: `${path} is ${size} bytes, more than the ${maxBytes} a record may have; delete it, the controller rewrites it` };
    }
    text = await handle.readFile('utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { status: 'unreadable', code: 'missing', reason: `${path} does not exist` };
    return { status: 'unreadable', code: 'io-error', reason: `cannot read ${path}: ${describeError(error)}` };
  } finally {
    await handle?.close().catch(() => undefined);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { status: 'unreadable', code: 'unparseable', reason: `${path} is not valid JSON (${describeError(error)}); the controller treats it as unknown and rewrites it` };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    return {
      status: 'unreadable',
      code: 'schema-invalid',
      reason: `${path} does not match its schema; the controller treats it as unknown and rewrites it:\n${z.prettifyError(result.error)}`,
    };
  }
  return { status: 'ok', value: result.data };
}
