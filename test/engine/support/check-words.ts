// A check as an operator reads it: each reason's code, message and path, and
// each cited fact with its lines. The `*-words` snapshot tests compare these.
import type { Check } from '../../../predicates/check.ts';

export const checkWords = (check: Check) => ({
  conflicts: check.conflicts.map((r) => [r.code, r.message, r.path.join('.')]),
  missing: check.missing.map((r) => [r.code, r.message, r.path.join('.')]),
  evidence: check.evidence.map((e) => [e.fact, ...e.lines]),
});
