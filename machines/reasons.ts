// Reasons the engine itself gives (as opposed to the predicates'), so every
// record names its first failure in the same coded shape. The chart's own
// failures are one table keyed by code: a transition names the code
// (`fail` in controller-setup.ts) and the text is written here once.
import type { PlanStep, Reason, StepRecord } from '../schemas/records.ts';
import { describeError } from '../shared/describe-error.ts';
import type { RunContext } from './context.ts';

/** What a failing transition knows: the run so far, and the actor's error (none for a timeout or a failed check). */
export interface FailureCause {
  context: RunContext;
  error: unknown;
  timedOut: boolean;
}

const stepInFlight = ({ plan, cursor }: RunContext): string => plan[cursor]?.id ?? '?';

function interruptedText({ steps, plan }: RunContext): string {
  const applied = steps.filter((s) => s.phase === 'apply' && s.ok).length;
  const last = steps.at(-1);
  const where = last ? `after step ${last.phase === 'rollback' ? 'rollback-' : ''}${last.stepId}` : 'before its first step';
  const touched = steps.length > 0 ? `; ${applied} of ${plan.length} planned steps applied, its intent stays journaled so the next run recovers and reconciles` : '; nothing was touched';
  return `the run was asked to stop (SIGTERM: systemctl stop or shutdown) and stopped ${where}${touched}`;
}

function refusedText({ notice, target }: RunContext): string {
  const refusal = notice?.refusal;
  const who = refusal ? `${refusal.by} refused it ${refusal.via === 'notification' ? 'from the notification ("Keep my session")' : 'with mode cancel'}` : 'it was refused';
  return `the switch to ${target} would end the graphical session ${notice?.sessionId ?? '?'} of ${notice?.user ?? 'its user'}; ${who}, so nothing was touched`;
}

const CHART_FAILURES = {
  'lock-held': ({ context }) => `another controller run holds the lock (${context.lockHolder ?? 'holder unknown'}); nothing was touched`,
  'lock-failed': ({ error, timedOut }) => (timedOut ? 'taking the controller lock timed out' : `the controller lock could not be taken: ${describeError(error)}`),
  'observe-failed': ({ error }) => `observing the host failed before anything was touched: ${describeError(error)}`,
  'observe-timeout': () => 'observing the host timed out before anything was touched',
  'intent-unwritable': ({ error, timedOut }) =>
    timedOut ? 'journaling the intent timed out; nothing was touched' : `the run's intent could not be journaled, so nothing was touched: ${describeError(error)}`,
  'step-error': ({ context, error }) => `step ${stepInFlight(context)} raised: ${describeError(error)}`,
  'work-error': ({ context, error }) => `step ${context.workStep?.id ?? '?'} raised: ${describeError(error)}`,
  // the timed-out step's record, added just before, says how long it ran and what its budget was
  'step-timeout': ({ context }) => `step ${context.steps.at(-1)?.stepId ?? '?'} ${context.steps.at(-1)?.message ?? 'timed out'}`,
  'verify-failed': ({ error }) => `the verifying observation failed: ${describeError(error)}`,
  'verify-timeout': () => 'the verifying observation timed out',
  'target-unproven': ({ context }) => `a fresh observation does not prove ${context.target}`,
  interrupted: ({ context }) => interruptedText(context),
  refused: ({ context }) => refusedText(context),
} satisfies Record<string, (cause: FailureCause) => string>;

export type FailureCode = keyof typeof CHART_FAILURES;

export function chartFailure(code: FailureCode, cause: FailureCause): Reason {
  return engineFailure(code, CHART_FAILURES[code](cause));
}

export function stepFailed(step: PlanStep, record: StepRecord): Reason {
  return {
    code: 'step-failed',
    message: `step ${step.id} (${step.description}) failed: ${record.message}`,
    path: ['steps', step.id],
    evidence: record.commands.map((c) => ({
      fact: `steps.${step.id}`,
      source: { kind: 'command', argv: c.argv, exitCode: c.exitCode },
      lines: [...c.stderr, ...c.stdout].slice(0, 20),
    })),
  };
}

export function engineFailure(code: string, message: string): Reason {
  return { code, message, path: [], evidence: [] };
}

/**
 * The warning of a succeeded (or blocked, rolled-back) run whose resume of the
 * Slurm node was not observed: the mode stands, work landing on it is the
 * fleet's part. `outcome` is the step's; null when it raised or timed out (its
 * record, if any, is the run's last step).
 */
export function unresumed(context: RunContext, outcome: { record: StepRecord; reason: Reason | null } | null): Reason {
  const record = outcome?.record ?? context.steps.at(-1);
  const why = record?.stepId === 'resume-slurm-node' ? record.message : 'the resume raised before it answered';
  return {
    code: 'slurm-resume-unproven',
    message: `${context.outcome === 'succeeded' ? `${context.target} is proven, but` : 'the machine stays in compute, but'} the resume of the Slurm node was not observed (${why}); no job lands on it until it is resumed: request compute again or run scontrol update state=resume`,
    path: ['steps', 'resume-slurm-node'],
    evidence: outcome?.reason?.evidence ?? [],
  };
}
