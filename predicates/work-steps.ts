// The steps the chart runs for the workload manager around the plan: drain
// and wait before leaving compute, resume once compute is proven. They are
// recorded like plan steps (evidence, duration) but are not in the plan: the
// plan is what takes the machine to the mode; these keep Slurm in line with it.
import type { Config } from '../schemas/config.ts';
import type { ModeName, ObservedModeName } from '../schemas/names.ts';
import type { Action, PlanStep } from '../schemas/records.ts';
import { leavesCompute } from './work.ts';

export type WorkStepName = 'drain' | 'await' | 'resume';

export const drainReason = (target: ModeName): string => `dubnium: ${target}`;

export const DRAIN_STEP_ID = 'drain-slurm-node';

export function drainWorkStep(target: ModeName): PlanStep {
  return {
    id: DRAIN_STEP_ID,
    description: `drain the Slurm node (reason "${drainReason(target)}"): no new job lands, running jobs go on`,
    action: { kind: 'drain-work', reason: drainReason(target) },
    inverse: { kind: 'resume-work' },
    losses: [],
  };
}

/** --force skips it: the fresh observation after the drain lists the jobs the switch leaves running. */
export function awaitWorkStep(config: Config): PlanStep {
  const seconds = config.slurm.drainWaitSeconds;
  return {
    id: 'wait-slurm-jobs-ended',
    description: `wait up to ${seconds} s for the Slurm jobs on the node to end`,
    action: { kind: 'wait', until: 'work-ended', timeoutMs: seconds * 1000 },
    inverse: null,
    losses: [],
  };
}

export function resumeWorkStep(config: Config): PlanStep {
  const feature = config.slurm.computeFeature;
  return {
    id: 'resume-slurm-node',
    description: `resume the Slurm node${feature === null ? '' : ` and set its feature ${feature}`}: jobs may land again`,
    action: { kind: 'resume-work' },
    inverse: null,
    losses: [],
  };
}

export function workStep(name: WorkStepName, config: Config, target: ModeName): PlanStep {
  switch (name) {
    case 'drain':
      return drainWorkStep(target);
    case 'await':
      return awaitWorkStep(config);
    case 'resume':
      return resumeWorkStep(config);
  }
}

/** The observation that proves a drain or a resume, bounded by one Slurm command's timeout. */
export function workProof(action: Extract<Action, { kind: 'drain-work' | 'resume-work' }>, config: Config): Extract<Action, { kind: 'wait' }> {
  return { kind: 'wait', until: action.kind === 'drain-work' ? 'work-drained' : 'work-resumed', timeoutMs: config.slurm.commandTimeoutSeconds * 1000 };
}

/** What the chart runs around the plan of a switch from `from`, in order, when all goes well: for `mode explain`. */
export function workSteps(config: Config, from: ObservedModeName, target: ModeName): { before: PlanStep[]; after: PlanStep[] } {
  if (!config.slurm.enable || from === target) return { before: [], after: [] };
  return {
    before: leavesCompute(from, target) ? [drainWorkStep(target), awaitWorkStep(config)] : [],
    after: target === 'compute' ? [resumeWorkStep(config)] : [],
  };
}
