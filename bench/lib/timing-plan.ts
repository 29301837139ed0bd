// What the timing driver (bench/inside/timing-driver.ts) is asked to run
// inside the sandbox, and what it answers. Written by bench/run.ts as JSON.
import { describeError } from '../../shared/describe-error.ts';

export interface PlanStep {
  argv: string[];
  env: Record<string, string>;
  /** exit statuses that count as a good run; anything else stops the bench with the step's output */
  okExits: number[];
  /** a file to read right after the step (e.g. the run's last-transition.json) */
  captureFile?: string;
}

export interface PlanCase {
  id: string;
  /** run one after another; the case's time is their sum */
  steps: PlanStep[];
}

export interface TimingPlan {
  rounds: number;
  /** warm-up rounds run first and thrown away (page cache, the first systemctl connection) */
  warmupRounds: number;
  timeoutMs: number;
  cases: PlanCase[];
}

export interface CaseSamples {
  /** one total per round, in round order */
  ms: number[];
  /** per round, each step's time */
  stepMs: number[][];
  /** per round, when each step started: CLOCK_MONOTONIC ms, the clock of the audit log's monoMs and the journal */
  stepStartMonoMs: number[][];
  /** per round, each step's exit status */
  exits: number[][];
  /** per round, the captured files' text (null when absent) */
  captured: (string | null)[][];
}

export interface TimingResult {
  cases: Record<string, CaseSamples>;
}

export function parseTimingPlan(text: string, origin: string): TimingPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin} is not JSON (${describeError(error)}); bench/run.ts writes it, rerun the bench`, { cause: error });
  }
  const plan = value as Partial<TimingPlan>;
  if (!Number.isInteger(plan.rounds) || !Number.isInteger(plan.warmupRounds) || !Number.isFinite(plan.timeoutMs) || !Array.isArray(plan.cases)) {
    throw new Error(`${origin} lacks rounds, warmupRounds, timeoutMs or cases; bench/run.ts writes it, rerun the bench`);
  }
  for (const c of plan.cases) {
    if (typeof c.id !== 'string' || !Array.isArray(c.steps) || c.steps.length === 0 || c.steps.some((s) => !Array.isArray(s.argv) || s.argv.length === 0)) {
      throw new Error(`${origin}: case ${JSON.stringify(c.id)} needs an id and at least one step with an argv`);
    }
  }
  return plan as TimingPlan;
}
