// Observed facts. Every fact says where it came from and when; a fact that
// could not be read is an explicit `unknown` with a reason, never a default
// value — a parser that guesses makes the controller lie.
import * as z from 'zod';

export const FactSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), argv: z.array(z.string()), exitCode: z.int().nullable() }),
  z.strictObject({ kind: z.literal('file'), path: z.string() }),
  z.strictObject({ kind: z.literal('syscall'), call: z.string(), path: z.string() }),
  z.strictObject({ kind: z.literal('simulated'), name: z.string() }),
]);
export type FactSource = z.infer<typeof FactSource>;

export const UnknownReasonCode = z.enum([
  'tool-missing',
  'tool-failed',
  'tool-timeout',
  'unparseable',
  'unreadable',
  'not-applicable',
  'not-observed',
]);
export type UnknownReasonCode = z.infer<typeof UnknownReasonCode>;

const common = { source: FactSource, readAt: z.iso.datetime() };

/** Either a value read from `source`, or `unknown` with the reason it could not be read. */
export const fact = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('known'), value, ...common }),
    z.strictObject({
      status: z.literal('unknown'),
      code: UnknownReasonCode,
      reason: z.string(),
      /** the lines of output that could not be understood, kept as evidence */
      excerpt: z.array(z.string()).optional(),
      ...common,
    }),
  ]);

export type Known<T> = { status: 'known'; value: T; source: FactSource; readAt: string };
export type Unknown = {
  status: 'unknown';
  code: UnknownReasonCode;
  reason: string;
  excerpt?: string[] | undefined;
  source: FactSource;
  readAt: string;
};
export type Fact<T> = Known<T> | Unknown;

export const UnitState = z.strictObject({
  id: z.string(),
  loadState: z.string().describe('loaded | not-found | masked | error | bad-setting | ...'),
  activeState: z.string().describe('active | inactive | failed | activating | deactivating | reloading'),
  subState: z.string(),
  result: z.string().nullable(),
  cpuWeight: z.int().nullable().describe('null: not set'),
  ioWeight: z.int().nullable().describe('null: not set'),
  allowIsolate: z.boolean().nullable().optional().describe('AllowIsolate= (targets): false means `systemctl isolate` of it is refused; absent when not read'),
});
export type UnitState = z.infer<typeof UnitState>;

export const Session = z.strictObject({
  id: z.string(),
  user: z.string().nullable(),
  uid: z.int().nullable(),
  seat: z.string().nullable(),
  type: z.string().describe('x11 | wayland | tty | mir | unspecified'),
  class: z.string().describe('user | greeter | lock-screen | background | manager'),
  active: z.boolean().nullable(),
  state: z.string().nullable().describe('online | active | closing'),
  remote: z.boolean().nullable(),
  service: z.string().nullable(),
  leader: z.int().nullable(),
  idleHint: z.boolean().nullable().optional().describe("logind's IdleHint: the desktop says nobody has used the session for a while; null or absent: not read"),
  idleForMs: z
    .number()
    .min(0)
    .nullable()
    .optional()
    .describe('how long it has been idle when read (CLOCK_MONOTONIC now minus IdleSinceHintMonotonic); null when not idle or not read'),
});
export type Session = z.infer<typeof Session>;

export const GpuProcessType = z.enum(['G', 'C', 'C+G', 'M', 'M+C', 'unknown']);
export const GpuProcess = z.strictObject({
  pid: z.int(),
  type: GpuProcessType,
  name: z.string(),
  usedMemoryMiB: z.number().nullable(),
});
export type GpuProcess = z.infer<typeof GpuProcess>;

export const Gpu = z.strictObject({
  index: z.int(),
  busId: z.string().nullable(),
  name: z.string().nullable(),
  uuid: z.string().nullable(),
  memoryUsedMiB: z.number().nullable(),
  memoryTotalMiB: z.number().nullable(),
  displayActive: z.boolean().nullable(),
  migEnabled: z.boolean().nullable(),
  processes: z.array(GpuProcess),
  minorNumber: z.int().nullable().optional().describe('<minor_number>: the GPU is /dev/nvidia<minor>; absent when not read'),
});
export type Gpu = z.infer<typeof Gpu>;

/** A process holding a /dev/nvidia* node open, found by /proc/PID/fd, and where systemd runs it (/proc/PID/cgroup). */
export const GpuHolder = z.strictObject({
  pid: z.int(),
  command: z.string().describe('/proc/PID/comm'),
  uid: z.int().nullable().describe('owner of /proc/PID; null when not read'),
  devices: z.array(z.string()).describe('the /dev/nvidia* paths it holds open, e.g. /dev/nvidia0, /dev/nvidiactl'),
  cgroup: z.string().nullable().describe('its cgroup path; null when /proc/PID/cgroup could not be read'),
  unit: z.string().nullable().describe('the system unit it runs in: display-manager.service, vllm.service, session-3.scope, user@1000.service'),
  userUnit: z.string().nullable().describe('the unit of the user manager it runs in (plasma-kwin_wayland.service); null outside user@UID.service'),
  session: z.string().nullable().describe('the logind session id, when its unit is session-ID.scope'),
});
export type GpuHolder = z.infer<typeof GpuHolder>;

export const AlsaSubstream = z.strictObject({
  path: z.string(),
  card: z.int(),
  device: z.int(),
  subdevice: z.int(),
  state: z.string().nullable().describe('RUNNING | PREPARED | SETUP | XRUN | DRAINING | PAUSED | SUSPENDED | closed'),
  running: z.boolean(),
  ownerPid: z.int().nullable(),
});
export type AlsaSubstream = z.infer<typeof AlsaSubstream>;

export const AudioStream = z.strictObject({
  id: z.string(),
  application: z.string().nullable(),
  /** application.process.id: the client's PID as the sound server saw it */
  pid: z.int().nullable(),
  /** the user whose sound server plays it (null when the source does not say) */
  uid: z.int().nullable(),
  corked: z.boolean().nullable(),
  running: z.boolean(),
});
export type AudioStream = z.infer<typeof AudioStream>;

export const NamedProcess = z.strictObject({ pid: z.int(), name: z.string() });
export type NamedProcess = z.infer<typeof NamedProcess>;

/** sched(7) policies by the number /proc/PID/task/TID/stat gives (field 41); 4 is reserved (SCHED_ISO, never implemented) */
export const SchedPolicy = z.enum(['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_IDLE', 'SCHED_DEADLINE', 'SCHED_EXT']);
export type SchedPolicy = z.infer<typeof SchedPolicy>;

/** One thread's scheduling, from /proc/PID/task/TID/stat. */
export const ThreadScheduling = z.strictObject({
  tid: z.int().min(1),
  name: z.string().describe("the thread's comm; PipeWire 0.3.65 (Debian 12) leaves its data thread named pipewire, so the policy, not the name, tells it apart"),
  policy: SchedPolicy,
  rtPriority: z.int().min(0).max(99).describe('rt_priority (field 40): 1..99 for SCHED_FIFO/SCHED_RR, 0 otherwise'),
});
export type ThreadScheduling = z.infer<typeof ThreadScheduling>;

/** A PipeWire daemon and the scheduling of each of its threads: whether its data thread got realtime (rtkit, or RLIMIT_RTPRIO). */
export const AudioServerScheduling = z.strictObject({
  pid: z.int().min(1),
  command: z.string().describe('/proc/PID/comm: pipewire'),
  uid: z.int().nullable().describe('owner of /proc/PID; null when not read'),
  unit: z.string().nullable().describe('the system unit it runs in (user@1000.service); null when /proc/PID/cgroup could not be read'),
  userUnit: z.string().nullable().describe("the user manager's unit (pipewire.service); null outside user@UID.service"),
  threads: z.array(ThreadScheduling).describe('every thread, by tid'),
});
export type AudioServerScheduling = z.infer<typeof AudioServerScheduling>;

export const AudioRealtime = z.strictObject({
  servers: z.array(AudioServerScheduling).describe('every process named pipewire, by PID'),
  rtkit: z.array(NamedProcess).describe('running rtkit-daemon processes, which grant PipeWire realtime on request'),
});
export type AudioRealtime = z.infer<typeof AudioRealtime>;

export const Memory = z.strictObject({
  memTotalKiB: z.int().nullable(),
  memAvailableKiB: z.int().nullable().describe('null: the kernel does not report MemAvailable (before 3.14)'),
});
export type Memory = z.infer<typeof Memory>;

/** The fields of a model's config.json that size its KV cache; null: the key is absent (or not a number). */
export const ModelArchitecture = z.strictObject({
  maxPositionEmbeddings: z.int().nullable(),
  numHiddenLayers: z.int().nullable(),
  numAttentionHeads: z.int().nullable(),
  numKeyValueHeads: z.int().nullable().describe('null: the model has no grouped-query attention; vLLM then uses numAttentionHeads'),
  headDim: z.int().nullable().describe('null: vLLM then uses hiddenSize / numAttentionHeads'),
  hiddenSize: z.int().nullable(),
  torchDtype: z.string().nullable().describe('torch_dtype (or dtype) of config.json: what vLLM loads the weights and KV cache as by default'),
});
export type ModelArchitecture = z.infer<typeof ModelArchitecture>;

export const WeightFile = z.strictObject({
  file: z.string().describe('the name the index gives, relative to the bundle folder'),
  exists: z.boolean(),
  sizeBytes: z.number().nullable().describe('the size on disk; null: the file does not exist'),
  dataEndBytes: z.number().nullable().describe('8 + header length + the end of the last tensor: the size a complete file has'),
  tensorBytes: z.number().nullable().describe('the bytes of every tensor in the header, what vLLM loads onto the GPUs'),
  tensors: z.int().nullable(),
  dtypes: z.array(z.string()).describe('the safetensors dtypes the header names (BF16, F16, I32, ...)'),
});
export type WeightFile = z.infer<typeof WeightFile>;

export const WeightIndexName = z.enum(['model.safetensors.index.json', 'model.safetensors']);
export type WeightIndexName = z.infer<typeof WeightIndexName>;

/** The configured model's bundle in the model store: <modelStore>/<model id>/, what vLLM's --model points at. */
export const ModelBundle = z.strictObject({
  model: z.string().describe('the configured Hugging Face id, e.g. Qwen/Qwen2.5-Coder-14B-Instruct-AWQ'),
  directory: z.string(),
  directoryExists: z.boolean(),
  config: ModelArchitecture.nullable().describe('null: config.json does not exist'),
  weightIndex: WeightIndexName.nullable().describe('what names the weight files; null: neither a sharded index nor a single model.safetensors exists'),
  weightFiles: z.array(WeightFile).describe('every weight file the index names, in its order'),
});
export type ModelBundle = z.infer<typeof ModelBundle>;

export const PathState = z.strictObject({
  path: z.string(),
  exists: z.boolean(),
  isDirectory: z.boolean().nullable(),
  freeBytes: z.number().nullable(),
});
export type PathState = z.infer<typeof PathState>;

/** One Slurm job on this node, as squeue lists it: the fleet port's RunningWork (effects/fleet/port.ts). */
export const SlurmJob = z.strictObject({
  id: z.string().describe('the job id (%A), or array job id_task (%i)'),
  user: z.string().nullable().describe('the user name squeue gives (%u)'),
  name: z.string().nullable().describe('the job name (%j)'),
  state: z.string().describe('RUNNING, COMPLETING, SUSPENDED, ... (%T)'),
  startedAt: z.string().nullable().describe('the start time (%S), ISO 8601 in the controller host\'s zone; null when Slurm gives none'),
});
export type SlurmJob = z.infer<typeof SlurmJob>;

/** This machine as a Slurm node: `scontrol show node --oneliner <node>` and the jobs `squeue` lists on it. */
export const SlurmNode = z.strictObject({
  node: z.string().describe('the NodeName asked about'),
  states: z.array(z.string()).describe("Slurm's base state then its flags, e.g. [\"IDLE\", \"DRAIN\"] from State=IDLE+DRAIN"),
  drained: z.boolean().describe('a DRAIN flag is set (Slurm shows it as DRAINING while jobs still run, DRAINED once none do): no new job lands'),
  reason: z.string().nullable().describe('Reason= without its [user@time] suffix; null when none is set'),
  features: z.strictObject({
    available: z.array(z.string()).describe('AvailableFeatures='),
    active: z.array(z.string()).describe('ActiveFeatures='),
  }),
  jobs: z.array(SlurmJob).describe('running, completing, suspended or stopping jobs on the node (squeue --nodelist)'),
});
export type SlurmNode = z.infer<typeof SlurmNode>;

export const Facts = z.strictObject({
  observedAt: z.iso.datetime(),
  /** every unit and slice the config names, from one `systemctl show` */
  units: fact(z.array(UnitState)),
  sessions: fact(z.array(Session)),
  gpus: fact(z.array(Gpu)),
  alsa: fact(z.array(AlsaSubstream)),
  audioStreams: fact(z.array(AudioStream)),
  audioProcesses: fact(z.array(NamedProcess)),
  /** every PipeWire daemon's threads and their scheduling (/proc/PID/task/TID/stat): studio-local's soft audio-realtime guard */
  audioRealtime: fact(AudioRealtime),
  memory: fact(Memory),
  paths: fact(z.array(PathState)),
  /** processes holding /dev/nvidia* open (each /proc/PID/fd): what nvidia-smi may not list (other PID namespaces, containers) */
  gpuHolders: fact(z.array(GpuHolder)),
  /** the configured model's bundle; unknown (not-applicable) when vLLM is disabled or no model is set */
  model: fact(ModelBundle),
  /** this machine as a Slurm node; absent when config.slurm.enable is false (not collected, nothing to guard), unknown when Slurm cannot be asked */
  slurm: fact(SlurmNode).optional(),
});
export type Facts = z.infer<typeof Facts>;
export type FactName = Exclude<keyof Facts, 'observedAt'>;
/** facts present only when the config turns their source on */
export type OptionalFactName = 'slurm';
export const OPTIONAL_FACT_NAMES: readonly OptionalFactName[] = ['slurm'];
/** the facts every observation has */
export const FACT_NAMES: readonly Exclude<FactName, OptionalFactName>[] = [
  'units',
  'sessions',
  'gpus',
  'alsa',
  'audioStreams',
  'audioProcesses',
  'audioRealtime',
  'memory',
  'paths',
  'gpuHolders',
  'model',
];
