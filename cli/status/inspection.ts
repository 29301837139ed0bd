// Where the plan's phase 4 ("control-plane inspection before transitions")
// looks: capability-placement.json and hardware-topology.json in the runtime
// folder, written by `mode boot` and refreshed by every controller run
// (docs/records.md). `mode status` and `mode doctor` point at them, with what
// each holds in one phrase, so an operator knows which file to `sudo cat`.
import { readRuntimeRecord, runtimeRecordPath } from '../../effects/records/runtime-files.ts';
import type { ReadResult } from '../../effects/records/read-json.ts';
import type { CapabilityPlacementRecord, HardwareTopology } from '../../schemas/runtime-records.ts';
import type { Paint } from '../color.ts';
import { when } from '../render/time.ts';

export interface InspectionFiles {
  placement: { path: string; read: ReadResult<CapabilityPlacementRecord> };
  topology: { path: string; read: ReadResult<HardwareTopology> };
}

export async function readInspectionFiles(runtimeDir: string): Promise<InspectionFiles> {
  const [placement, topology] = await Promise.all([readRuntimeRecord(runtimeDir, 'capabilityPlacement'), readRuntimeRecord(runtimeDir, 'hardwareTopology')]);
  return {
    placement: { path: runtimeRecordPath(runtimeDir, 'capabilityPlacement'), read: placement },
    topology: { path: runtimeRecordPath(runtimeDir, 'hardwareTopology'), read: topology },
  };
}

const gpuPhrase = (t: HardwareTopology): string => (t.gpus.status === 'known' ? `${t.gpus.value.length} GPU${t.gpus.value.length === 1 ? '' : 's'}` : `GPUs unknown: ${t.gpus.reason}`);
const pciPhrase = (t: HardwareTopology): string =>
  t.pciGpus === undefined ? '' : t.pciGpus.status === 'known' ? `, ${t.pciGpus.value.length} PCI display controller${t.pciGpus.value.length === 1 ? '' : 's'}` : ', PCI unknown';

function describe<T extends { writtenAt: string }>(read: ReadResult<T>, what: (value: T) => string, p: Paint, nowMs: number): string {
  if (read.status === 'ok') return `${what(read.value)}, written ${when(read.value.writtenAt, nowMs)}`;
  if (read.code === 'missing') return p.yellow('not written yet (mode boot writes it at boot, every controller run refreshes it)');
  return p.red(`unreadable: ${read.reason}`);
}

/** One line per file, labelled like the status lines: its path, then what it holds or why it cannot be read. */
export function renderInspection(files: InspectionFiles, p: Paint, nowMs: number, label: string, indent: string): string[] {
  return [
    `${label}${files.placement.path}  ${describe(files.placement.read, (v) => `studio ${v.placement.studio}`, p, nowMs)}`,
    `${indent}${files.topology.path}  ${describe(files.topology.read, (v) => `${gpuPhrase(v)}${pciPhrase(v)}`, p, nowMs)}`,
  ];
}
