// A fresh observation for `mode current --refresh`: the one place the
// read-only verb loads the observers, the predicates and zod. Run as root, it
// also leaves the observation as last-observation.json (keep-observation.ts).
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { RecordPaths } from '../../effects/records/paths.ts';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify } from '../../predicates/classify.ts';
import { loadConfig } from '../config/load.ts';
import { observedSummary } from '../status/observed.ts';

export async function freshCurrent(paths: Pick<RecordPaths, 'configPath' | 'runtimeDir'>, env: NodeJS.ProcessEnv): Promise<Omit<CurrentOutput, 'exit'>> {
  const { config } = await loadConfig(paths.configPath);
  const observing = observeFacts(config, { env });
  // imported after observeFacts has started the tools: building the record's
  // schemas would otherwise hold their start back (docs/cli.md, "Speed")
  const keeping = import('./keep-observation.ts');
  const facts = await observing;
  const classification = classify(facts, config);
  const problems = await (await keeping).keepObservation(facts, classification, paths.runtimeDir);
  return { schemaVersion: 1, source: 'fresh', observed: observedSummary(classification, facts.observedAt, null), facts, problems };
}
