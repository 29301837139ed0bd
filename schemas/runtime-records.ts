// Shapes of the runtime files that only the records layer writes besides the
// transition and guard records: the last observation, the capability placement,
// the hardware topology and the lock holder's note. Kept apart from records.ts
// so that file stays the contract of the engine.
import * as z from 'zod';
import { Facts, Gpu, fact } from './facts.ts';
import { Classification } from './records.ts';
import { BootloaderFacts, PciDevice } from './topology.ts';

/** last-observation.json: what the controller saw last and what it made of it. */
export const ObservationRecord = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string().nullable(),
  writtenAt: z.iso.datetime(),
  bootId: z.string().nullable(),
  facts: Facts,
  classification: Classification,
});
export type ObservationRecord = z.infer<typeof ObservationRecord>;

/** capability-placement.json: where each capability runs, as the config placed it. */
export const CapabilityPlacementRecord = z.strictObject({
  schemaVersion: z.literal(1),
  writtenAt: z.iso.datetime(),
  configPath: z.string().nullable(),
  placement: z.strictObject({ studio: z.enum(['local', 'remote', 'disabled']) }),
});
export type CapabilityPlacementRecord = z.infer<typeof CapabilityPlacementRecord>;

/**
 * The identity of a GPU, without what changes from second to second (memory
 * used, processes). Minimal on purpose: the observation layer may extend it.
 */
export const GpuIdentity = Gpu.pick({ index: true, busId: true, name: true, uuid: true, memoryTotalMiB: true });
export type GpuIdentity = z.infer<typeof GpuIdentity>;

/** hardware-topology.json: the GPUs seen, or why they could not be seen. */
export const HardwareTopology = z.strictObject({
  schemaVersion: z.literal(1),
  writtenAt: z.iso.datetime(),
  gpus: fact(z.array(GpuIdentity)),
  /** display controllers from `lspci -nn` (observeTopology); absent when not observed */
  pciGpus: fact(z.array(PciDevice)).optional(),
  /** boot loader facts from `bootctl status` (observeTopology); absent when not observed */
  bootloader: fact(BootloaderFacts).optional(),
});
export type HardwareTopology = z.infer<typeof HardwareTopology>;

/** lock.holder.json: who holds the controller lock. For display only, never for exclusion. */
export const LockHolderNote = z.strictObject({
  schemaVersion: z.literal(1),
  pid: z.int().min(1),
  runId: z.string().nullable(),
  bootId: z.string().nullable(),
  startedAt: z.iso.datetime(),
});
export type LockHolderNote = z.infer<typeof LockHolderNote>;
