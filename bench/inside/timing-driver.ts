// Runs inside the sandbox (entered once with nsenter), so that every timed
// process starts the way it would on the workstation: systemctl talks to
// PID 1 directly, with no nsenter in the measured interval. Reads a timing
// plan, runs its cases interleaved, prints the samples as JSON on stdout.
//   node bench/inside/timing-driver.ts <plan.json>
import { readFileSync } from 'node:fs';
import { interleave } from '../lib/interleave.ts';
import { parseTimingPlan, type CaseSamples, type PlanCase, type TimingResult } from '../lib/timing-plan.ts';
import { describeRun, timedSpawn } from '../lib/timed-spawn.ts';

const planPath = process.argv[2];
if (!planPath) {
  console.error('usage: timing-driver.ts <plan.json> (bench/run.ts writes the plan)');
  process.exit(2);
}
const plan = parseTimingPlan(readFileSync(planPath, 'utf8'), planPath);

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

// process.hrtime is CLOCK_MONOTONIC on Linux, as are the audit log's monoMs and the journal's
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

async function runCase(c: PlanCase): Promise<{ ms: number; stepMs: number[]; stepStartMonoMs: number[]; exits: number[]; captured: (string | null)[] }> {
  const stepMs: number[] = [];
  const stepStartMonoMs: number[] = [];
  const exits: number[] = [];
  const captured: (string | null)[] = [];
  for (const step of c.steps) {
    stepStartMonoMs.push(monotonicMs());
    const run = await timedSpawn(step.argv, { env: step.env, timeoutMs: plan.timeoutMs });
    if (run.signal !== null || !step.okExits.includes(run.exitCode ?? -1)) {
      throw new Error(`case ${c.id}: ${describeRun(run)}\n(expected exit ${step.okExits.join(' or ')})`);
    }
    stepMs.push(run.ms);
    exits.push(run.exitCode ?? -1);
    if (step.captureFile) captured.push(readOrNull(step.captureFile));
  }
  return { ms: stepMs.reduce((a, b) => a + b, 0), stepMs, stepStartMonoMs, exits, captured };
}

if (plan.warmupRounds > 0) for (const slot of interleave(plan.cases, plan.warmupRounds)) await runCase(slot.item);
const result: TimingResult = { cases: {} };
for (const c of plan.cases) result.cases[c.id] = { ms: [], stepMs: [], stepStartMonoMs: [], exits: [], captured: [] } satisfies CaseSamples;
for (const slot of interleave(plan.cases, plan.rounds)) {
  const sample = await runCase(slot.item);
  const into = result.cases[slot.item.id] as CaseSamples;
  into.ms.push(sample.ms);
  into.stepMs.push(sample.stepMs);
  into.stepStartMonoMs.push(sample.stepStartMonoMs);
  into.exits.push(sample.exits);
  into.captured.push(sample.captured);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
