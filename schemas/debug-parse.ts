// The JSON that `mode debug parse <source> [FILE|-]` prints: what one parser
// extracts from a saved tool output, the controller's own reading of it. An
// unknown value is null, never 0.
import * as z from 'zod';
import { Gpu, Memory, Session, UnitState } from './facts.ts';
import { BootloaderFacts, PciDevice } from './topology.ts';
import { DEBUG_PARSE_SOURCES } from './debug-sources.ts';

export { DEBUG_PARSE_SOURCES };
export const DebugParseSource = z.enum(DEBUG_PARSE_SOURCES);
export type DebugParseSource = z.infer<typeof DebugParseSource>;

const head = <S extends DebugParseSource>(source: S) => ({ schemaVersion: z.literal(1), source: z.literal(source) });

export const CsvGpuRow = Gpu.omit({ processes: true });
export const ComputeApp = z.strictObject({
  pid: z.int(),
  name: z.string().nullable(),
  usedMemoryMiB: z.number().nullable(),
  gpuBusId: z.string().nullable(),
  gpuUuid: z.string().nullable(),
});
export const ListedSession = z.strictObject({
  id: z.string(),
  uid: z.int().nullable(),
  user: z.string().nullable(),
  seat: z.string().nullable(),
  tty: z.string().nullable(),
  leader: z.int().nullable(),
  class: z.string().nullable(),
  state: z.string().nullable(),
  type: z.null().describe('list-sessions does not print it; see loginctl-session'),
  active: z.null().describe('list-sessions does not print it; see loginctl-session'),
  remote: z.null().describe('list-sessions does not print it; see loginctl-session'),
});

export const DebugParseOutput = z.discriminatedUnion('source', [
  z.strictObject({ ...head('nvidia-smi-xml'), gpus: z.array(Gpu) }),
  z.strictObject({ ...head('nvidia-smi-gpus'), gpus: z.array(CsvGpuRow) }),
  z.strictObject({ ...head('nvidia-smi-apps'), processes: z.array(ComputeApp) }),
  z.strictObject({ ...head('systemctl-show'), units: z.array(UnitState.extend({ names: z.array(z.string()) })) }),
  z.strictObject({ ...head('loginctl-sessions'), format: z.enum(['json', 'table']), sessions: z.array(ListedSession) }),
  z.strictObject({ ...head('loginctl-session'), sessions: z.array(Session) }),
  z.strictObject({ ...head('alsa-status'), state: z.string(), running: z.boolean(), ownerPid: z.int().nullable() }),
  z.strictObject({ ...head('meminfo'), ...Memory.shape }),
  z.strictObject({ ...head('lspci'), devices: z.array(PciDevice), gpus: z.array(PciDevice) }),
  z.strictObject({ ...head('bootctl'), ...BootloaderFacts.shape }),
]);
export type DebugParseOutput = z.infer<typeof DebugParseOutput>;
