// The common shape of every predicate: what contradicts it, what could not be
// read, and what was looked at. A predicate holds only when nothing conflicts
// and nothing is missing, so an unreadable fact can never pass for a good one.
import type { Evidence, Reason } from '../schemas/records.ts';

export interface Check {
  /** facts that were read and contradict the predicate */
  conflicts: Reason[];
  /** facts the predicate needs that are unknown */
  missing: Reason[];
  /** what was read to decide, whatever the result */
  evidence: Evidence[];
}

export const holds = (check: Check): boolean => check.conflicts.length === 0 && check.missing.length === 0;

export function combine(...checks: Check[]): Check {
  return {
    conflicts: checks.flatMap((c) => c.conflicts),
    missing: checks.flatMap((c) => c.missing),
    evidence: checks.flatMap((c) => c.evidence),
  };
}

export const conflict = (reason: Reason): Check => ({ conflicts: [reason], missing: [], evidence: reason.evidence });
export const missingFact = (reason: Reason): Check => ({ conflicts: [], missing: [reason], evidence: reason.evidence });
export const fine = (evidence: Evidence[]): Check => ({ conflicts: [], missing: [], evidence });

/** The first reason a check fails for: conflicts before missing facts. */
export const firstReason = (check: Check): Reason | null => check.conflicts[0] ?? check.missing[0] ?? null;
