// The read every file-backed collector starts with: the file's text, or the
// `unreadable` unknown that names the file and why, so a collector never
// throws for a missing or forbidden file.
import { readFile } from 'node:fs/promises';
import type { FactSource, Unknown } from '../../schemas/facts.ts';
import { describeError } from '../../shared/describe-error.ts';
import { unknown } from './fact-builders.ts';

export async function readFactFile(path: string, source: FactSource, now: () => Date): Promise<string | Unknown> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    return unknown('unreadable', `cannot read ${path}: ${describeError(error)}`, source, now().toISOString());
  }
}
