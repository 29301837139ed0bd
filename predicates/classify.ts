// Classification: which mode the facts prove. Exactly one mode can hold (the
// overlay and the targets exclude each other). When none holds:
// - if a mode has no conflicting fact but some needed fact is unknown, the
//   answer is `unknown` with those missing facts — it might be that mode;
// - otherwise `degraded`, from the mode with the fewest conflicts (ties go to
//   the safer mode, in the order desktop, studio-local, compute), naming each
//   conflicting fact.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import { MODES } from '../schemas/modes.ts';
import type { ModeName } from '../schemas/names.ts';
import type { Classification } from '../schemas/records.ts';
import { holds, type Check } from './check.ts';
import { modeCheck } from './modes.ts';

export function classify(facts: Facts, config: Config): Classification {
  const checks = MODES.map((mode) => ({ mode, check: modeCheck(mode, facts, config) }));
  const proven = checks.find((c) => holds(c.check));
  if (proven) return { mode: proven.mode, evidence: proven.check.evidence };
  // A mode without conflicts that does not hold has at least one missing fact, so `missing` is never empty.
  const undecided = checks.filter((c) => c.check.conflicts.length === 0);
  if (undecided.length > 0) return { mode: 'unknown', missing: dedupe(undecided.flatMap((c) => c.check.missing)) };
  const closest = closestMode(checks);
  return { mode: 'degraded', degradedFrom: closest.mode, conflicts: closest.check.conflicts };
}

function closestMode(checks: { mode: ModeName; check: Check }[]): { mode: ModeName; check: Check } {
  return checks.reduce((best, c) => (c.check.conflicts.length < best.check.conflicts.length ? c : best));
}

function dedupe(reasons: Check['missing']): Check['missing'] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.code}|${r.path.join('.')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
