// Every exit status of `mode` is decided here and nowhere else, so --help,
// the man page, docs/cli.md and the code can never disagree. 1 is kept for
// internal errors only: Node itself exits 1 on an uncaught exception, so a
// script can never mistake a crash for a domain answer.
import type { Outcome } from '../schemas/records.ts';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  blocked: 3,
  rolledBack: 4,
  degraded: 5,
  busy: 6,
  pending: 7,
  softOnly: 8,
  unknown: 9,
  interrupted: 10,
  rejected: 11,
  checkFailed: 12,
  canceled: 13,
  dataError: 65,
  noInput: 66,
  toolMissing: 69,
  cantCreate: 73,
  denied: 77,
  config: 78,
} as const;

export type ExitName = keyof typeof EXIT;
export type ExitCode = (typeof EXIT)[ExitName];

/** One line per status, for --help, the man page and docs/cli.md. */
export const EXIT_MEANING: Record<ExitName, string> = {
  ok: 'success: the outcome is succeeded or noop, guards pass, status is in sync, every doctor check passes',
  internal: 'internal error: a bug in mode; the message says what to report',
  usage: 'usage error: unknown verb, option, mode or argument',
  blocked: 'blocked: a hard guard failed; nothing was touched',
  rolledBack: 'rolled back: the switch failed and the previous mode was restored and proven',
  degraded: 'degraded: neither the target nor the previous mode is proven (or the observed mode is degraded)',
  busy: 'busy: another controller run holds the lock',
  pending: 'pending: the desired mode is not reached yet, or a run is in flight',
  softOnly: 'soft guards only: no hard guard failed, but at least one soft guard did',
  unknown: 'unknown: a fact needed to decide could not be read; no mode is proven',
  interrupted: 'interrupted: the run stopped before an outcome (it is recovered by the next run)',
  rejected: 'rejected: the controller refused the request (invalid config or mode)',
  checkFailed: 'check failed: at least one doctor check failed',
  canceled: 'canceled: the person at the desk refused the switch (the notification, or mode cancel); nothing was touched',
  dataError: 'bad input: the input is not in the named format (the message names the line)',
  noInput: 'input missing: a named file does not exist or cannot be read',
  toolMissing: 'tool missing: a required program is not on PATH (or Node is older than 22)',
  cantCreate: 'cannot create: an output folder or file could not be written (the message names it)',
  denied: 'permission denied: join the group modectl (see the message for the polkit rule)',
  config: 'config invalid or missing: the message names the file, the JSON path and the problem',
};

/** The exit status a controller outcome stands for. */
export function exitForOutcome(outcome: Outcome): ExitCode {
  switch (outcome) {
    case 'succeeded':
    case 'noop':
      return EXIT.ok;
    case 'blocked':
      return EXIT.blocked;
    case 'rolled-back':
      return EXIT.rolledBack;
    case 'degraded':
      return EXIT.degraded;
    case 'busy':
      return EXIT.busy;
    case 'interrupted':
    case 'recovered':
      return EXIT.interrupted;
    case 'rejected':
      return EXIT.rejected;
    case 'canceled':
      return EXIT.canceled;
  }
}

/** The exit status of a dry run: pass, soft-only and hard block are distinct. */
export function exitForGuardVerdict(verdict: 'pass' | 'soft-only' | 'hard-block'): ExitCode {
  if (verdict === 'pass') return EXIT.ok;
  if (verdict === 'soft-only') return EXIT.softOnly;
  return EXIT.blocked;
}

/** The exit status of an observation: a proven mode is 0. */
export function exitForObservedMode(mode: string): ExitCode {
  if (mode === 'degraded') return EXIT.degraded;
  if (mode === 'unknown') return EXIT.unknown;
  return EXIT.ok;
}

export function exitName(code: number): ExitName | null {
  const entry = Object.entries(EXIT).find(([, value]) => value === code);
  return entry ? (entry[0] as ExitName) : null;
}
