// A fresh observation for `mode current --refresh`: the one place the
// read-only verb loads the observers, the predicates and zod.
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify } from '../../predicates/classify.ts';
import { loadConfig } from '../config/load.ts';
import { observedSummary } from '../status/observed.ts';

export async function freshCurrent(configPath: string, env: NodeJS.ProcessEnv): Promise<Omit<CurrentOutput, 'exit'>> {
  const { config } = await loadConfig(configPath);
  const facts = await observeFacts(config, { env });
  const classification = classify(facts, config);
  return { schemaVersion: 1, source: 'fresh', observed: observedSummary(classification, facts.observedAt, null), facts, problems: [] };
}
