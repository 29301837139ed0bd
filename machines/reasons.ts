// Reasons the engine itself gives (as opposed to the predicates'), so every
// record names its first failure in the same coded shape.
import type { PlanStep, Reason, StepRecord } from '../schemas/records.ts';

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

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
