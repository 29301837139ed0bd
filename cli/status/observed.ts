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

interface Observed {
  classification: Classification;
  at: string;
  runId: string | null;
}

/**
 * The newest classification on record: last-observation.json, or the one a
 * transition record carries (its final observation, or for a run that
 * changed nothing the observation it started from), whichever is later.
 * A run writes last-observation.json at each observation, so when that file
 * holds the very classification the run's record ends with, it is the same
 * observation, with the time it was made (the record has only the run's end).
 */
export function latestObserved(
  observation: { classification: Classification; facts: { observedAt: string }; runId: string | null } | null,
  transition: { runId: string; from: Classification | null; finalObservation: Classification | null; startedAt: string; finishedAt: string } | null,
): ObservedSummary | null {
  if (observation && transition && observation.runId === transition.runId && sameClassification(observation.classification, transition.finalObservation ?? transition.from)) {
    return observedSummary(observation.classification, observation.facts.observedAt, observation.runId);
  }
  const candidates: Observed[] = [];
  if (observation) candidates.push({ classification: observation.classification, at: observation.facts.observedAt, runId: observation.runId });
  if (transition?.finalObservation) candidates.push({ classification: transition.finalObservation, at: transition.finishedAt, runId: transition.runId });
  else if (transition?.from) candidates.push({ classification: transition.from, at: transition.startedAt, runId: transition.runId });
  const newest = candidates.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  return newest ? observedSummary(newest.classification, newest.at, newest.runId) : null;
}

// Both were written from classify()'s output, so equal classifications serialize equally.
const sameClassification = (a: Classification, b: Classification | null): boolean => b !== null && JSON.stringify(a) === JSON.stringify(b);
