// Round trips through `mode request`, as an operator runs them inside:
// studio (desktop → studio-local → desktop) interleaved with the shell
// script of the same systemctl calls, and compute (desktop → compute →
// desktop), each split by the runs' own records.
import { TransitionRecord } from '../../schemas/records.ts';
import { studioFloorScript } from '../lib/floor-script.ts';
import { splitRun, type RunSplit } from '../lib/record-split.ts';
import { RUNTIME_DIR, insideRepo, operatorEnv, runPlan, step, writeInsideFile, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { INSIDE_NODE } from '../../test/sandbox/layout.ts';
import { pairedRatios, ratio, summarize } from '../lib/stats.ts';
import type { CaseSamples, PlanStep } from '../lib/timing-plan.ts';
import type { ComputeResult, StudioResult } from '../lib/results.ts';

const LAST_TRANSITION = `${RUNTIME_DIR}/last-transition.json`;
// a compute switch waits for vLLM; the unit's own TimeoutStartSec is 30 min
const REQUEST_TIMEOUT_MS = 15 * 60_000;

function requestStep(sandbox: ControllerSandbox, cliEntry: string, mode: string): PlanStep {
  return step([INSIDE_NODE, insideRepo(cliEntry), 'request', mode], operatorEnv(sandbox), [0], LAST_TRANSITION);
}

/** Each request's record next to the request's own wall time. */
function splits(samples: CaseSamples): RunSplit[] {
  return samples.captured.flatMap((files, round) =>
    files.map((text, i) => {
      if (text === null) throw new Error(`round ${round}: request ${i + 1} left no ${LAST_TRANSITION}`);
      return splitRun(TransitionRecord.parse(JSON.parse(text)), samples.stepMs[round]?.[i] ?? Number.NaN);
    }),
  );
}

export async function measureStudio(sandbox: ControllerSandbox, cliEntry: string, rounds: number): Promise<StudioResult> {
  const script = studioFloorScript(sandbox.config);
  const scriptInside = writeInsideFile(sandbox, 'studio-round-trip.sh', script);
  const result = await runPlan(
    sandbox,
    {
      rounds,
      warmupRounds: 1,
      timeoutMs: REQUEST_TIMEOUT_MS,
      cases: [
        { id: 'mode request', steps: [requestStep(sandbox, cliEntry, 'studio-local'), requestStep(sandbox, cliEntry, 'desktop')] },
        { id: 'script', steps: [step(['/bin/sh', scriptInside], operatorEnv(sandbox), [0])] },
      ],
    },
    rounds * 2 * REQUEST_TIMEOUT_MS,
  );
  const controller = result.cases['mode request'];
  const floor = result.cases.script;
  if (!controller || !floor) throw new Error('the timing driver returned no studio samples');
  const c = summarize(controller.ms);
  const f = summarize(floor.ms);
  return { controller: c, floor: f, ratio: ratio(c, f), pairedRatio: pairedRatios(controller.ms, floor.ms), floorScript: script, runs: splits(controller) };
}

export async function measureCompute(sandbox: ControllerSandbox, cliEntry: string, rounds: number): Promise<ComputeResult> {
  const result = await runPlan(
    sandbox,
    { rounds, warmupRounds: 0, timeoutMs: REQUEST_TIMEOUT_MS, cases: [{ id: 'compute', steps: [requestStep(sandbox, cliEntry, 'compute'), requestStep(sandbox, cliEntry, 'desktop')] }] },
    rounds * 2 * REQUEST_TIMEOUT_MS,
  );
  const samples = result.cases.compute;
  if (!samples) throw new Error('the timing driver returned no compute samples');
  return { roundTrip: summarize(samples.ms), runs: splits(samples) };
}
