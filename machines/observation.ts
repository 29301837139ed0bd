// One observation as the run uses it: the facts, classified once, and that
// classification handed to the host's recorder (last-observation.json) and to
// the chart, so nothing classifies the same facts twice.
import { classify } from '../predicates/classify.ts';
import type { Facts } from '../schemas/facts.ts';
import type { Classification } from '../schemas/records.ts';
import type { Host } from './host.ts';

export interface Observation {
  facts: Facts;
  classification: Classification;
}

/**
 * Observes, classifies and records. The write is awaited, so records land in
 * the order the observations were made: the run's last observation (its
 * verification) is the one left on disk.
 */
export async function observeAndRecord(host: Host, signal?: AbortSignal): Promise<Observation> {
  const facts = await host.observe(signal);
  const classification = classify(facts, host.config);
  // a caller that gave up (the observe timeout) did not see these facts; a late write would overwrite a newer observation
  if (!signal?.aborted) await host.recordObservation?.(facts, classification);
  return { facts, classification };
}
