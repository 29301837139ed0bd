// Where the time of one `mode request` goes, from the run's own record
// (last-transition.json) and the wall time measured around the command:
//   waiting on units — wait steps (polling until vLLM is gone, the GPU is
//     released, ...) and the systemctl/loginctl jobs of the other steps
//     (`systemctl start` returns when the job is done, so starting
//     vllm-ready.service is the readiness wait);
//   controller — the rest of the recorded run: lock, observations, guards,
//     plan, intent and records, the step bookkeeping;
//   outside the record — the CLI, the unit's start and node's start-up
//     inside it, and the CLI noticing the end (it polls).
import type { TransitionRecord } from '../../schemas/records.ts';

export interface RunSplit {
  target: string;
  outcome: string;
  wallMs: number;
  recordMs: number;
  outsideRecordMs: number;
  waitStepsMs: number;
  unitJobsMs: number;
  controllerMs: number;
  phases: Record<string, number>;
  steps: { stepId: string; kind: string; ms: number; commandMs: number }[];
}

export function splitRun(record: TransitionRecord, wallMs: number): RunSplit {
  const steps = record.steps.map((s) => ({
    stepId: s.stepId,
    kind: s.action.kind,
    ms: s.durationMs,
    commandMs: s.commands.reduce((sum, c) => sum + c.durationMs, 0),
  }));
  const waitStepsMs = steps.filter((s) => s.kind === 'wait').reduce((sum, s) => sum + s.ms, 0);
  const unitJobsMs = steps.filter((s) => s.kind !== 'wait').reduce((sum, s) => sum + s.commandMs, 0);
  const phases: Record<string, number> = {};
  for (const p of record.phases) phases[p.name] = (phases[p.name] ?? 0) + p.durationMs;
  return {
    target: record.target,
    outcome: record.outcome,
    wallMs,
    recordMs: record.durationMs,
    outsideRecordMs: wallMs - record.durationMs,
    waitStepsMs,
    unitJobsMs,
    controllerMs: record.durationMs - waitStepsMs - unitJobsMs,
    phases,
    steps,
  };
}
