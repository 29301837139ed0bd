// observeAndRecord: each observation is classified once and handed to the
// host's recorder (last-observation.json on the workstation), in order, so a
// run's verification is what stays on disk; one its caller gave up on is not
// recorded, so a late answer cannot overwrite a newer observation.
import { describe, expect, it } from 'vitest';
import { observeAndRecord } from '../../../machines/observation.ts';
import { runController } from '../../../machines/run-controller.ts';
import { classify } from '../../../predicates/classify.ts';
import type { Facts } from '../../../schemas/facts.ts';
import type { Classification } from '../../../schemas/records.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';

/** The simulated machine with the workstation's recorder: every observation handed to it, in order. */
class RecordingHost extends SimulatedHost {
  readonly recorded: { facts: Facts; classification: Classification }[] = [];
  recordObservation(facts: Facts, classification: Classification): Promise<void> {
    this.recorded.push({ facts, classification });
    return Promise.resolve();
  }
}

function recordingHost() {
  const h = new RecordingHost({ config });
  return { h, recorded: h.recorded };
}

describe('observeAndRecord', () => {
  it('records what it returns, classified once, with or without a signal', async () => {
    const { h, recorded } = recordingHost();
    const seen = await observeAndRecord(h);
    expect(recorded).toEqual([seen]);
    expect(seen.classification).toEqual(classify(seen.facts, config));
    await observeAndRecord(h, new AbortController().signal);
    expect(recorded).toHaveLength(2);
  });

  it('does not record an observation its caller gave up on', async () => {
    const { h, recorded } = recordingHost();
    const stop = new AbortController();
    const observe = h.observe.bind(h);
    h.observe = async () => {
      const facts = await observe();
      stop.abort();
      return facts;
    };
    await observeAndRecord(h, stop.signal);
    expect(recorded).toEqual([]);
  });

  it('a run leaves its verification as the last observation recorded', async () => {
    const { h, recorded } = recordingHost();
    const record = await runController(h, 'studio-local', { runId: 'o' });
    expect(recorded.length).toBeGreaterThanOrEqual(2);
    expect(recorded.at(-1)!.classification).toEqual(record.finalObservation);
  });
});
