// Guard verdicts and the report that sums them up. A verdict that failed
// because a fact was unknown names that fact (missingFact): fail closed, and
// say why.
import type { Evidence, GuardReport, GuardVerdict, Reason } from '../schemas/records.ts';
import type { ModeName, ObservedModeName } from '../schemas/names.ts';
import type { Check } from './check.ts';

export type Severity = 'hard' | 'soft';

export const passed = (code: string, severity: Severity, message: string, evidence: Evidence[]): GuardVerdict => ({
  code,
  severity,
  passed: true,
  missingFact: null,
  message,
  evidence,
});

export const failed = (code: string, severity: Severity, message: string, evidence: Evidence[], missingFact: string | null = null): GuardVerdict => ({
  code,
  severity,
  passed: false,
  missingFact,
  message,
  evidence,
});

/** A verdict from a check: conflicts fail it, unknown facts fail it closed. */
export function verdictOf(code: string, severity: Severity, check: Check, okMessage: string): GuardVerdict {
  const conflict = check.conflicts[0];
  if (conflict) {
    const more = check.conflicts.length > 1 ? ` (and ${check.conflicts.length - 1} more)` : '';
    return failed(code, severity, `${conflict.message}${more}`, check.evidence);
  }
  const missing = check.missing[0];
  if (missing) return failed(code, severity, `fails closed: ${missing.message}`, check.evidence, missingFactName(missing));
  return passed(code, severity, okMessage, check.evidence);
}

const missingFactName = (r: Reason): string => r.path.map(String).join('.') || r.evidence[0]?.fact || 'unknown';

export function guardReport(target: ModeName, from: ObservedModeName, evaluatedAt: string, verdicts: GuardVerdict[]): GuardReport {
  const hard = verdicts.some((v) => !v.passed && v.severity === 'hard');
  const soft = verdicts.some((v) => !v.passed && v.severity === 'soft');
  return { schemaVersion: 1, target, from, evaluatedAt, verdict: hard ? 'hard-block' : soft ? 'soft-only' : 'pass', verdicts };
}

/** The first hard failure, as a reason for the record; then the first soft one. */
export function firstFailedVerdict(report: GuardReport): Reason | null {
  const v = report.verdicts.find((x) => !x.passed && x.severity === 'hard') ?? report.verdicts.find((x) => !x.passed);
  return v ? verdictReason(v) : null;
}

/** A failed verdict as the record's reason. */
export const verdictReason = (v: GuardVerdict): Reason => ({ code: v.code, message: v.message, path: ['guards', v.code], evidence: v.evidence });
