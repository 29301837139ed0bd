// capability-placement.json and hardware-topology.json: what the plan's
// phase 4 ("control-plane inspection before transitions") reads with `sudo
// cat` before it lets anything switch. `mode boot` writes them at boot and
// every controller run refreshes them under its lock, from the run's own
// observation (the GPUs) and one topology observation (lspci, bootctl).
// Best effort, like last-observation.json: they are for people, so a full or
// read-only /run is reported (inspection-unwritten in the journal) and never
// fails a boot or a run.
import type { Config } from '../../schemas/config.ts';
import type { Fact, Gpu } from '../../schemas/facts.ts';
import type { CapabilityPlacementRecord, GpuIdentity, HardwareTopology } from '../../schemas/runtime-records.ts';
import type { ObservedTopology } from '../../schemas/topology.ts';
import { RUNTIME_FILES } from './paths.ts';
import type { RecordStore } from './store.ts';
import { describeError } from '../../shared/describe-error.ts';

export type InspectionSink = Pick<RecordStore, 'writeCapabilityPlacement' | 'writeHardwareTopology'>;

export function capabilityPlacementRecord(config: Config, configPath: string | null, writtenAt: Date): CapabilityPlacementRecord {
  return { schemaVersion: 1, writtenAt: writtenAt.toISOString(), configPath, placement: { studio: config.capabilityPlacement.studio } };
}

/** The GPUs' identities from an observation (memory in use and processes left out: they change every second). */
export function gpuIdentities(gpus: Fact<Gpu[]>): Fact<GpuIdentity[]> {
  if (gpus.status !== 'known') return gpus;
  return { ...gpus, value: gpus.value.map(({ index, busId, name, uuid, memoryTotalMiB }) => ({ index, busId, name, uuid, memoryTotalMiB })) };
}

export function hardwareTopologyRecord(gpus: Fact<Gpu[]>, topology: ObservedTopology, writtenAt: Date): HardwareTopology {
  return { schemaVersion: 1, writtenAt: writtenAt.toISOString(), gpus: gpuIdentities(gpus), pciGpus: topology.pciGpus, bootloader: topology.bootloader };
}

export interface InspectionInput {
  config: Config;
  configPath: string | null;
  /** the GPUs of an observation this process made; null: none was made, so hardware-topology.json is left as it is */
  gpus: Fact<Gpu[]> | null;
  topology: ObservedTopology | null;
  now: Date;
}

export interface UnwrittenInspection {
  file: string;
  reason: string;
}

/** Writes both files (each atomically, validated against its schema); answers with what could not be written. Never throws. */
export async function writeInspectionRecords(sink: InspectionSink, input: InspectionInput): Promise<UnwrittenInspection[]> {
  const writes: [string, () => ReturnType<InspectionSink['writeCapabilityPlacement']>][] = [
    [RUNTIME_FILES.capabilityPlacement, () => sink.writeCapabilityPlacement(capabilityPlacementRecord(input.config, input.configPath, input.now))],
  ];
  const { gpus, topology } = input;
  if (gpus !== null && topology !== null) writes.push([RUNTIME_FILES.hardwareTopology, () => sink.writeHardwareTopology(hardwareTopologyRecord(gpus, topology, input.now))]);
  const unwritten: UnwrittenInspection[] = [];
  for (const [file, write] of writes) {
    try {
      const result = await write();
      if (!result.ok) unwritten.push({ file, reason: result.failure.message });
    } catch (error) {
      // the writers answer with values; this only keeps a bug from failing a run
      unwritten.push({ file, reason: `cannot write ${file}: ${describeError(error)}` });
    }
  }
  return unwritten;
}
