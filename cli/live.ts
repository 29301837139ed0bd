// The live inputs of a dry run (`guards`, `explain`): config, a fresh
// observation and what the predicates make of it. Nothing is changed.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import { observeFacts } from '../effects/observe/observe-facts.ts';
import { decide, type Decision } from '../predicates/decide.ts';
import { loadConfig } from './config/load.ts';

export interface LiveView extends Decision {
  config: Config;
  facts: Facts;
}

/** Pure: what the predicates say about these facts, by the one decide() a run's guarding state calls. */
export function viewOf(config: Config, facts: Facts, target: ModeName): LiveView {
  return { config, facts, ...decide(target, facts, config) };
}

export async function liveView(configPath: string, target: ModeName, env: NodeJS.ProcessEnv): Promise<LiveView> {
  const { config } = await loadConfig(configPath);
  return viewOf(config, await observeFacts(config, { env }), target);
}
