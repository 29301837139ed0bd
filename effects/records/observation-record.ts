// last-observation.json from an observation: what was seen, what the caller
// classified it as (the run, or `mode current --refresh`: this file only
// writes it), by which run and in which boot. Best effort on purpose: the
// record is for `mode status` and `mode current`, so a full or read-only /run
// must never fail the observation, let alone block a switch.
import type { Facts } from '../../schemas/facts.ts';
import type { Classification } from '../../schemas/records.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import type { WriteResult } from './failure.ts';
import type { RecordStore } from './store.ts';
import { describeError } from '../../shared/describe-error.ts';

export type ObservationSink = Pick<RecordStore, 'writeObservation' | 'bootId'>;

export interface ObservationStamp {
  /** the run that observed; null for `mode current --refresh` */
  runId: string | null;
  writtenAt: Date;
}

export function observationRecord(facts: Facts, classification: Classification, stamp: ObservationStamp & { bootId: string | null }): ObservationRecord {
  return { schemaVersion: 1, runId: stamp.runId, writtenAt: stamp.writtenAt.toISOString(), bootId: stamp.bootId, facts, classification };
}

/** Writes last-observation.json (one atomic write); a failure is a value, never an exception. */
export async function recordObservation(sink: ObservationSink, facts: Facts, classification: Classification, stamp: ObservationStamp): Promise<WriteResult> {
  try {
    return await sink.writeObservation(observationRecord(facts, classification, { ...stamp, bootId: await sink.bootId() }));
  } catch (error) {
    return unexpected(error);
  }
}

// writeObservation answers with values; this only keeps a bug from failing a run
const unexpected = (error: unknown): WriteResult => {
  const message = describeError(error);
  return { ok: false, failure: { code: 'unexpected', operation: 'write', path: 'last-observation.json', errno: null, message: `cannot write last-observation.json: ${message}` } };
};

export interface RecordingOptions {
  sink: ObservationSink;
  runId: string | null;
  now: () => Date;
  /** a write that failed, with the reason; the same failure (code, operation, file) is reported once until a write succeeds again */
  onUnwritten?: ((reason: string) => void) | undefined;
}

/**
 * The host port's recordObservation: writes each observation it is handed,
 * with the classification the run made of it, and never rejects. The run
 * awaits each write, so they land in the order the observations were made.
 */
export function observationRecorder(options: RecordingOptions): (facts: Facts, classification: Classification) => Promise<void> {
  let lastReported: string | null = null;
  return async (facts, classification) => {
    let written: WriteResult;
    try {
      written = await recordObservation(options.sink, facts, classification, { runId: options.runId, writtenAt: options.now() });
    } catch (error) {
      written = unexpected(error);
    }
    if (written.ok) lastReported = null;
    else {
      // a poll every few seconds against a full /run would otherwise flood the journal (the message names a fresh temp file each time)
      const { code, operation, path } = written.failure;
      const key = `${code} ${operation} ${path}`;
      if (key !== lastReported) options.onUnwritten?.(written.failure.message);
      lastReported = key;
    }
  };
}
