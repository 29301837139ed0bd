// Turns command results, parse failures and filesystem errors into facts.
// Each unknown says why in words an operator can act on, and keeps the
// lines that could not be understood as its excerpt.
import type { FactSource, Known, Unknown, UnknownReasonCode } from '../../schemas/facts.ts';
import { describeResult, type CommandResult } from '../exec/command-result.ts';
import type { ParseFailure } from './parsers/parse-result.ts';

export const known = <T>(value: T, source: FactSource, readAt: string): Known<T> => ({ status: 'known', value, source, readAt });

export function unknown(code: UnknownReasonCode, reason: string, source: FactSource, readAt: string, excerpt?: string[]): Unknown {
  return excerpt !== undefined && excerpt.length > 0 ? { status: 'unknown', code, reason, excerpt, source, readAt } : { status: 'unknown', code, reason, source, readAt };
}

export function commandSource(result: CommandResult): FactSource {
  return { kind: 'command', argv: result.evidence.argv, exitCode: result.evidence.exitCode };
}

const EXCERPT_LINES = 8;

/** An unknown for a command that did not succeed; `explain` may say more about an exit status. */
export function unknownFromCommand(result: Exclude<CommandResult, { kind: 'ok' }>, readAt: string, explain?: (exitCode: number) => string | null): Unknown {
  const source = commandSource(result);
  const output = [...result.evidence.stderr, ...result.evidence.stdout].slice(0, EXCERPT_LINES);
  switch (result.kind) {
    case 'missing-tool':
      return unknown('tool-missing', describeResult(result), source, readAt);
    case 'timed-out':
      return unknown('tool-timeout', describeResult(result), source, readAt, output);
    case 'canceled':
      return unknown('not-observed', `${describeResult(result)}; the observation was abandoned`, source, readAt, output);
    case 'failed': {
      const meaning = result.exitCode !== null && explain ? explain(result.exitCode) : null;
      return unknown('tool-failed', meaning ? `${describeResult(result)} (${meaning})` : describeResult(result), source, readAt, output);
    }
  }
}

export function unknownFromParse(failure: ParseFailure, source: FactSource, readAt: string, what: string): Unknown {
  return unknown('unparseable', `could not read ${what}: ${failure.message}`, source, readAt, failure.excerpt);
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
