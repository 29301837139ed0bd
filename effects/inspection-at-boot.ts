// capability-placement.json and hardware-topology.json at boot, written by
// `mode boot` before it starts the boot run, so the plan's phase 4 finds
// them from the first moment on; that run (and every later one) refreshes
// them under the controller lock (effects/real-host.ts). mode-boot.service
// has PrivateDevices=yes, so on real hardware nvidia-smi sees no GPU there:
// the file then says so (gpus unknown, with nvidia-smi's reason) until the
// boot run, which can see them, writes it again.
import type { Config } from '../schemas/config.ts';
import type { Fact, Gpu } from '../schemas/facts.ts';
import { observeTopology } from './observe/collect-topology.ts';
import { collectGpus } from './observe/collect-gpus.ts';
import { unknown } from './observe/fact-builders.ts';
import { observeContext } from './observe/observe-facts.ts';
import { writeInspectionRecords, type InspectionSink, type UnwrittenInspection } from './records/inspection-records.ts';
import { describeError } from '../shared/describe-error.ts';

export interface InspectionAtBootOptions {
  /** where the files go: the process's record store (`mode boot` opens one and passes it to everything it records) */
  sink: InspectionSink;
  configPath: string;
  env?: NodeJS.ProcessEnv | undefined;
  now?: () => Date;
}

export async function writeInspectionAtBoot(config: Config, options: InspectionAtBootOptions): Promise<UnwrittenInspection[]> {
  const now = options.now ?? (() => new Date());
  const ctx = observeContext(config, { env: options.env, now });
  const [gpus, topology] = await Promise.all([
    collectGpus(ctx).catch((error: unknown): Fact<Gpu[]> => unknown('not-observed', `the gpus collector failed unexpectedly (${describeError(error)}); this is a bug, please report it`, { kind: 'simulated', name: 'collector:gpus' }, now().toISOString())),
    observeTopology(config, { env: options.env, now }).catch(() => null),
  ]);
  return writeInspectionRecords(options.sink, { config, configPath: options.configPath, gpus, topology, now: now() });
}
