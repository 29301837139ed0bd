// Round trips through `mode request`, as an operator runs them inside:
// studio (desktop → studio-local → desktop) interleaved with two floors —
// the verified floor (per request the same systemctl calls, then one
// observation) and the shell script of the systemctl calls alone — and
// compute (desktop → compute → desktop), each split by the runs' own records.
import { AuditEvent, TransitionRecord } from '../../schemas/records.ts';
import { describeResult } from '../../test/sandbox/command.ts';
import { journalLine, requestTimeline, type RequestTimeline } from '../lib/request-timeline.ts';
import { studioFloorScript, studioRoundTripRequests, verifiedFloorScript } from '../lib/floor-script.ts';
import { splitRun, type RunSplit } from '../lib/record-split.ts';
import { RUNTIME_DIR, STATE_DIR, insideRepo, operatorEnv, runPlan, step, writeInsideFile, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { INSIDE_NODE } from '../../test/sandbox/layout.ts';
import { pairedRatios, ratio, summarize } from '../lib/stats.ts';
import type { CaseSamples, PlanStep } from '../lib/timing-plan.ts';
import type { ComputeResult, RequestVsFloor, StudioResult } from '../lib/results.ts';

const LAST_TRANSITION = `${RUNTIME_DIR}/last-transition.json`;
const AUDIT_LOG = `${STATE_DIR}/events.jsonl`;
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

/** Each request cut at the instants of bench/lib/request-timeline.ts, from the audit log and the journal of the sandbox. */
async function timelines(sandbox: ControllerSandbox, samples: CaseSamples): Promise<RequestTimeline[]> {
  const log = await sandbox.exec(['cat', '--', AUDIT_LOG], 60_000);
  if (log.exitCode !== 0) throw new Error(`cannot read ${AUDIT_LOG} inside the sandbox: ${describeResult(log)}`);
  const events = log.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => AuditEvent.parse(JSON.parse(l)));
  const units = [...new Set(splits(samples).map((r) => `mode-controller@${r.target}.service`))];
  const journal = await sandbox.exec(['journalctl', '--no-pager', '-o', 'json', ...units.flatMap((u) => ['-u', u])], 60_000);
  if (journal.exitCode !== 0) throw new Error(`cannot read the controller units' journal: ${describeResult(journal)}`);
  const lines = journal.stdout.split('\n').filter((l) => l.trim() !== '').flatMap((l) => journalLine(l) ?? []);
  return samples.captured.flatMap((files, round) =>
    files.map((text, i) => {
      const record = TransitionRecord.parse(JSON.parse(text ?? 'null'));
      const request = { target: record.target, cliStartMonoMs: samples.stepStartMonoMs[round]?.[i] ?? Number.NaN, cliMs: samples.stepMs[round]?.[i] ?? Number.NaN, record };
      return requestTimeline(request, events, lines);
    }),
  );
}

/** Each request's time next to its verified floor's, step by step of the same rounds. */
function perRequest(targets: readonly string[], controller: CaseSamples, verified: CaseSamples): RequestVsFloor[] {
  return targets.map((target, i) => {
    const request = summarize(controller.stepMs.map((steps) => steps[i] ?? Number.NaN));
    const verifiedFloor = summarize(verified.stepMs.map((steps) => steps[i] ?? Number.NaN));
    return { target, request, verifiedFloor, ratio: ratio(request, verifiedFloor) };
  });
}

/** observation: the observer's own tool calls (argv lists from the strace of one observation). */
export async function measureStudio(sandbox: ControllerSandbox, cliEntry: string, observation: string[][], rounds: number): Promise<StudioResult> {
  const script = studioFloorScript(sandbox.config);
  const scriptInside = writeInsideFile(sandbox, 'studio-round-trip.sh', script);
  const requests = studioRoundTripRequests(sandbox.config);
  const verifiedScripts = requests.map((r) => verifiedFloorScript(r, observation));
  const verifiedSteps = requests.map((r, i) => step(['/bin/sh', writeInsideFile(sandbox, `verified-floor-${r.target}.sh`, verifiedScripts[i] as string)], operatorEnv(sandbox), [0]));
  const result = await runPlan(
    sandbox,
    {
      rounds,
      warmupRounds: 1,
      timeoutMs: REQUEST_TIMEOUT_MS,
      cases: [
        { id: 'mode request', steps: requests.map((r) => requestStep(sandbox, cliEntry, r.target)) },
        { id: 'verified floor', steps: verifiedSteps },
        { id: 'script', steps: [step(['/bin/sh', scriptInside], operatorEnv(sandbox), [0])] },
      ],
    },
    rounds * 3 * REQUEST_TIMEOUT_MS,
  );
  const controller = result.cases['mode request'];
  const verified = result.cases['verified floor'];
  const floor = result.cases.script;
  if (!controller || !verified || !floor) throw new Error('the timing driver returned no studio samples');
  const c = summarize(controller.ms);
  const f = summarize(floor.ms);
  const v = summarize(verified.ms);
  return {
    controller: c,
    floor: f,
    ratio: ratio(c, f),
    pairedRatio: pairedRatios(controller.ms, floor.ms),
    floorScript: script,
    verifiedFloor: v,
    verifiedRatio: ratio(c, v),
    verifiedPairedRatio: pairedRatios(controller.ms, verified.ms),
    verifiedFloorScripts: verifiedScripts,
    verifiedFloorArgv: observation,
    perRequest: perRequest(requests.map((r) => r.target), controller, verified),
    runs: splits(controller),
    timelines: await timelines(sandbox, controller),
  };
}

export async function measureCompute(sandbox: ControllerSandbox, cliEntry: string, rounds: number): Promise<ComputeResult> {
  const result = await runPlan(
    sandbox,
    { rounds, warmupRounds: 0, timeoutMs: REQUEST_TIMEOUT_MS, cases: [{ id: 'compute', steps: [requestStep(sandbox, cliEntry, 'compute'), requestStep(sandbox, cliEntry, 'desktop')] }] },
    rounds * 2 * REQUEST_TIMEOUT_MS,
  );
  const samples = result.cases.compute;
  if (!samples) throw new Error('the timing driver returned no compute samples');
  return { roundTrip: summarize(samples.ms), runs: splits(samples), timelines: await timelines(sandbox, samples) };
}
