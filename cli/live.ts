// The live inputs of a dry run (`guards`, `explain`): config, a fresh
// observation and what the predicates make of it. Nothing is changed.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { Classification, GuardReport, PlanStep } from '../schemas/records.ts';
import { observeFacts } from '../effects/observe/observe-facts.ts';
import { classify } from '../predicates/classify.ts';
import { evaluateGuards } from '../predicates/guards.ts';
import { planTransition } from '../predicates/plan.ts';
import { loadConfig } from './config/load.ts';

export interface LiveView {
  config: Config;
  facts: Facts;
  from: Classification;
  guards: GuardReport;
  plan: PlanStep[];
}

/** Pure: what the predicates say about these facts, exactly as a run's guarding state computes it. */
export function viewOf(config: Config, facts: Facts, target: ModeName): LiveView {
  const from = classify(facts, config);
  return { config, facts, from, guards: evaluateGuards(target, facts, config, from.mode), plan: planTransition(from.mode, target, facts, config) };
}

export async function liveView(configPath: string, target: ModeName, env: NodeJS.ProcessEnv): Promise<LiveView> {
  const { config } = await loadConfig(configPath);
  return viewOf(config, await observeFacts(config, { env }), target);
}
