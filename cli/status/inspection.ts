// Where the plan's phase 4 ("control-plane inspection before transitions")
// looks: capability-placement.json and hardware-topology.json in the runtime
// folder, written by `mode boot` and refreshed by every controller run
// (docs/records.md). `mode status` and `mode doctor` point at them, with what
// each holds in one phrase, so an operator knows which file to `sudo cat`.
// Read like every record of `mode status`: JSON.parse and a precompiled validator, never zod.
import { join } from 'node:path';
import { RUNTIME_FILES } from '../../effects/records/paths.ts';
import type { CapabilityPlacementRecord, HardwareTopology } from '../../schemas/runtime-records.ts';
import { readRecord, type RecordRead } from '../record-views/read.ts';
import type { Paint } from '../color.ts';
import { when } from '../render/time.ts';

export interface InspectionFiles {
  placement: { path: string; read: RecordRead<CapabilityPlacementRecord> };
  topology: { path: string; read: RecordRead<HardwareTopology> };
}

export async function readInspectionFiles(runtimeDir: string): Promise<InspectionFiles> {
  const placementPath = join(runtimeDir, RUNTIME_FILES.capabilityPlacement);
  const topologyPath = join(runtimeDir, RUNTIME_FILES.hardwareTopology);
  const [placement, topology] = await Promise.all([readRecord(placementPath, 'capabilityPlacement'), readRecord(topologyPath, 'hardwareTopology')]);
  return { placement: { path: placementPath, read: placement }, topology: { path: topologyPath, read: topology } };
}

const gpuPhrase = (t: HardwareTopology): string => (t.gpus.status === 'known' ? `${t.gpus.value.length} GPU${t.gpus.value.length === 1 ? '' : 's'}` : `GPUs unknown: ${t.gpus.reason}`);
const pciPhrase = (t: HardwareTopology): string =>
  t.pciGpus === undefined ? '' : t.pciGpus.status === 'known' ? `, ${t.pciGpus.value.length} PCI display controller${t.pciGpus.value.length === 1 ? '' : 's'}` : ', PCI unknown';

function describe<T extends { writtenAt: string }>(read: RecordRead<T>, what: (value: T) => string, p: Paint, nowMs: number, short: boolean): string {
  if (read.status === 'ok') return `${what(read.value)}, written ${when(read.value.writtenAt, nowMs, short)}`;
  if (read.status === 'missing') return p.yellow('not written yet (mode boot writes it at boot, every controller run refreshes it)');
  return p.red(`unreadable: ${read.reason}`);
}

/** One line per file, labelled like the status lines: its path, then what it holds or why it cannot be read. */
export function renderInspection(files: InspectionFiles, p: Paint, nowMs: number, label: string, indent: string, short = false): string[] {
  return [
    `${label}${files.placement.path}  ${describe(files.placement.read, (v) => `studio ${v.placement.studio}`, p, nowMs, short)}`,
    `${indent}${files.topology.path}  ${describe(files.topology.read, (v) => `${gpuPhrase(v)}${pciPhrase(v)}`, p, nowMs, short)}`,
  ];
}
