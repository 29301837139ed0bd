// A plan step is run in one of two phases: applied on the way to the target,
// or undone on the way back. Which action that is, and the name the step goes
// by in the journal and at failpoints, is decided here only.
import type { Action, PlanStep } from '../schemas/records.ts';

export type StepPhase = 'apply' | 'rollback';

/** The action a step runs in this phase; null when it has no inverse to roll back with. */
export function actionFor(step: PlanStep, phase: StepPhase): Action | null {
  return phase === 'apply' ? step.action : step.inverse;
}

/** `<id>` while applying, `rollback-<id>` while undoing: the intent's `step` and the failpoint's name. */
export function journalName(stepId: string, phase: StepPhase): string {
  return phase === 'apply' ? stepId : `rollback-${stepId}`;
}

/**
 * Where the chart takes the step in flight from: the plan (apply), the undo
 * list (rollback), or the workload manager's step around the plan (work),
 * which is always applied.
 */
export type StepSlot = StepPhase | 'work';

export const phaseOf = (slot: StepSlot): StepPhase => (slot === 'rollback' ? 'rollback' : 'apply');
