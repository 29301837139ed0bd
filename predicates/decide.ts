// The one decision a switch rests on: from these facts, what the machine is
// (the classification), which steps take it to the target (the plan), and
// whether it may begin (the guards, judged on that very plan), and whom it
// must warn first. The chart's guarding state and `mode explain` / `mode
// guards` call this one function, so a dry run shows exactly what a run
// would decide.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { Classification, GuardReport, PlanStep } from '../schemas/records.ts';
import { classify } from './classify.ts';
import { evaluateGuards } from './guards.ts';
import { noticeFor, type NoticeRequest } from './notice.ts';
import { planTransition } from './plan.ts';
import { workSteps } from './work-steps.ts';

export interface Decision {
  from: Classification;
  plan: PlanStep[];
  guards: GuardReport;
  /** whom the switch warns before it ends their session, and how long it waits; null when nobody */
  notice: NoticeRequest | null;
  /** the workload manager's steps the run takes around the plan (drain and wait before, resume after); empty unless slurm.enable */
  work: { before: PlanStep[]; after: PlanStep[] };
}

/**
 * `from` is the classification of these facts; pass it when the observation
 * was already classified (the run classifies each observation once, as it is
 * recorded), so it is not computed twice. `stage.drained`: the run drained
 * the Slurm node already, so it is leaving compute whatever these facts show.
 */
export function decide(target: ModeName, facts: Facts, config: Config, from: Classification = classify(facts, config), stage: { drained: boolean } = { drained: false }): Decision {
  const plan = planTransition(from.mode, target, facts, config);
  return {
    from,
    plan,
    guards: evaluateGuards(target, facts, config, from.mode, plan, stage.drained),
    notice: noticeFor(target, facts, config, plan),
    work: workSteps(config, from.mode, target),
  };
}
