// Which observation `mode status` and `mode current` show when a run left
// both last-observation.json and its transition record: the observation file
// is the run's own last observation, with the time it was made, unless it is
// not the classification the run ended with (a later write of that run failed).
import { describe, expect, it } from 'vitest';
import { latestObserved } from '../../cli/status/observed.ts';
import type { Classification } from '../../schemas/records.ts';
import { at, degradedFromCompute, proven, transition } from './support/records.ts';

const observation = (classification: Classification, runId: string | null, observedAtMs: number) => ({ classification, runId, facts: { observedAt: at(observedAtMs) } });

describe('latestObserved', () => {
  it('takes the run\'s own observation, with its time, when it is the classification the run ended with', () => {
    const run = transition('studio-local', 1, 'succeeded'); // finishes at 1200
    expect(latestObserved(observation(proven('studio-local'), run.runId, 1100), run)).toMatchObject({ mode: 'studio-local', observedAt: at(1100), runId: run.runId });
  });

  it('for a run that changed nothing, the observation that proved it', () => {
    const run = transition('desktop', 1, 'noop'); // a noop ends with the classification it started from
    expect(latestObserved(observation(proven('desktop'), run.runId, 100), run)).toMatchObject({ mode: 'desktop', observedAt: at(100) });
    // a run that failed before its verification: the classification it started from
    expect(latestObserved(observation(proven('desktop'), run.runId, 100), { ...run, finalObservation: null })).toMatchObject({ mode: 'desktop', observedAt: at(100) });
  });

  it('keeps the record\'s final classification when the run\'s observation file is an earlier one of that run', () => {
    const run = transition('compute', 1, 'degraded', degradedFromCompute);
    expect(latestObserved(observation(proven('desktop'), run.runId, 100), run)).toMatchObject({ mode: 'degraded', observedAt: run.finishedAt });
  });

  it('between different runs (or a refresh, run id null), the later one', () => {
    const run = transition('studio-local', 1, 'succeeded');
    expect(latestObserved(observation(proven('desktop'), null, 1100), run)).toMatchObject({ mode: 'studio-local', observedAt: run.finishedAt });
    expect(latestObserved(observation(proven('desktop'), null, 1300), run)).toMatchObject({ mode: 'desktop', observedAt: at(1300), runId: null });
    expect(latestObserved(observation(proven('desktop'), 'run-0', 1100), run)).toMatchObject({ mode: 'studio-local' });
  });
});
