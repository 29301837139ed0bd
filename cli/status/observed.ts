// A classification as the CLI shows it: the mode and the reasons, flattened
// into one shape for text and JSON alike.
import type { ObservedSummary } from '../../schemas/cli-output.ts';
import type { Classification } from '../../schemas/records.ts';

export function observedSummary(classification: Classification, observedAt: string, runId: string | null): ObservedSummary {
  const base = { observedAt, runId, degradedFrom: null, evidence: [], conflicts: [], missing: [] };
  switch (classification.mode) {
    case 'degraded':
      return { ...base, mode: 'degraded', degradedFrom: classification.degradedFrom, conflicts: classification.conflicts };
    case 'unknown':
      return { ...base, mode: 'unknown', missing: classification.missing };
    default:
      return { ...base, mode: classification.mode, evidence: classification.evidence };
  }
}
