// The controller's configuration: /etc/dubnium/config.json, written by the
// NixOS module (nix/lib/config.nix generates the same JSON; the golden file
// examples/workstation.config.json is checked from both sides).
import * as z from 'zod';
import { AbsolutePath, ModeName, SliceName, TargetName, UnitName } from './names.ts';

const GpuIndex = z.int().min(0).max(63);
const Weight = z.int().min(1).max(10_000);
const Millis = z.int().min(1).max(24 * 3600 * 1000);

export const SliceWeights = z.strictObject({
  cpuWeight: Weight.describe('CPUWeight= of the slice'),
  ioWeight: Weight.describe('IOWeight= of the slice'),
});
export type SliceWeights = z.infer<typeof SliceWeights>;

/**
 * A baseline weight may be null: the slice sets none of its own (user.slice), systemd's default 100
 * applies, and going back to it resets the runtime value (`CPUWeight=`) instead of pinning 100 over
 * whatever the host's own configuration may set later.
 */
export const BaselineWeights = z.strictObject({
  cpuWeight: Weight.nullable().describe('CPUWeight= of the slice; null: not set (systemd default 100)'),
  ioWeight: Weight.nullable().describe('IOWeight= of the slice; null: not set (systemd default 100)'),
});
export type BaselineWeights = z.infer<typeof BaselineWeights>;

export const SliceRoles = ['interactive', 'ai', 'platform'] as const;
export type SliceRole = (typeof SliceRoles)[number];

const PerSlice = <T extends z.ZodType>(value: T) =>
  z.strictObject({ interactive: value, ai: value, platform: value });

export const HardwareConfig = z.strictObject({
  presentGpus: z.array(GpuIndex).describe('GPU indices (nvidia-smi index) physically present and visible now'),
  displayGpu: GpuIndex.describe('the GPU that drives the display'),
  computeGpus: z.array(GpuIndex).min(1).describe('GPUs that compute mode hands to vLLM'),
  plannedGpuCount: z.int().min(0).max(64).describe('GPUs planned for this host; only informational'),
  desktopAiGpus: z.array(GpuIndex).describe('GPUs that desktop AI may use (empty in v1)'),
});

export const VllmConfig = z.strictObject({
  enable: z.boolean(),
  model: z.string().min(1).max(512).nullable(),
  modelStore: AbsolutePath.describe('where model weights live, outside the Nix store'),
  extraArgs: z.array(z.string().max(4096)).max(256),
  port: z.int().min(1).max(65_535),
});

export const UnitsConfig = z.strictObject({
  desktopTarget: TargetName,
  computeTarget: TargetName,
  displayManager: UnitName.describe('the unit that owns the graphical session'),
  vllm: UnitName,
  vllmReady: UnitName.describe('active exactly while vLLM answers its health check'),
  studioOverlay: z.array(UnitName).min(1).describe('services that make up the studio-local overlay, started in order'),
  slices: PerSlice(SliceName).describe(
    'interactive: the slice where the graphical session, PipeWire and the studio tools run, raised in studio-local (user.slice: logind puts every session and user@UID.service in user.slice/user-UID.slice); ai, platform: lowered in studio-local',
  ),
  recoveryCritical: z.array(UnitName).describe('units that must survive every transition (sshd, ...)'),
});

export const AudioConfig = z.strictObject({
  processes: z
    .array(z.string().min(1).max(64).regex(/^[^/\0]+$/))
    .describe('process names (comm) whose presence means audio work is live, e.g. reaper'),
  alsaRoot: AbsolutePath.describe('normally /proc/asound'),
});

export const Thresholds = z.strictObject({
  memoryHeadroomMiB: z.int().min(0).describe('MemAvailable needed before compute starts vLLM'),
  gpuResidualMiB: z.int().min(0).describe('memory display processes may still hold on a compute GPU'),
  minModelStoreFreeMiB: z.int().min(0),
  pollIntervalMs: Millis,
  stepTimeoutsMs: z.strictObject({
    observe: Millis,
    start: Millis,
    stop: Millis,
    isolate: Millis,
    setProperty: Millis,
    terminateSession: Millis,
    gpuRelease: Millis,
    vllmReady: Millis,
  }),
});
export type Thresholds = z.infer<typeof Thresholds>;

export const NoticeConfig = z.strictObject({
  graceSeconds: z
    .int()
    .min(0)
    .max(3600)
    .default(60)
    .describe('how long a switch that ends a graphical session with a person at it waits after warning them (0: no warning, no wait)'),
  idleAfterSeconds: z
    .int()
    .min(0)
    .default(300)
    .describe("a session logind calls idle for longer than this has nobody at it: no warning, no wait (0: an idle session is never warned)"),
  ifUnwarned: z
    .enum(['wait', 'proceed'])
    .default('wait')
    .describe("when the person cannot be warned (no session bus, no notification daemon): wait the grace anyway, so `mode cancel` can still refuse, or go ahead at once"),
});
export type NoticeConfig = z.infer<typeof NoticeConfig>;

/** node_exporter's textfile folder on Debian (prometheus-node-exporter's default) and in the NixOS module */
export const DEFAULT_TEXTFILE_DIR = '/var/lib/prometheus-node-exporter/text';

export const MetricsConfig = z.strictObject({
  enable: z.boolean().default(false).describe('write dubnium.prom for the node_exporter textfile collector after every run and at boot'),
  textfileDir: AbsolutePath.default(DEFAULT_TEXTFILE_DIR).describe("node_exporter's --collector.textfile.directory"),
});
export type MetricsConfig = z.infer<typeof MetricsConfig>;

/** The wait runs inside mode-controller@.service, whose TimeoutStartSec=30min must still cover the steps after it. */
export const MAX_DRAIN_WAIT_SECONDS = 1200;

export const SlurmConfig = z.strictObject({
  enable: z.boolean().default(false).describe('this workstation is a Slurm node: drain it outside compute, resume it once compute is proven, observe it with scontrol and squeue'),
  nodeName: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a Slurm NodeName: letters, digits, ".", "_" and "-", no spaces, commas or brackets')
    .nullable()
    .default(null)
    .describe("this machine's NodeName in slurm.conf; null: config.hostname"),
  computeFeature: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_]+$/, 'a Slurm node feature: letters, digits and "_"')
    .nullable()
    .default(null)
    .describe('a node feature set while compute is proven (e.g. dubnium_compute), so jobs can ask for it with --constraint, and removed outside compute; null: none'),
  drainWaitSeconds: z.int().min(0).max(MAX_DRAIN_WAIT_SECONDS).default(600).describe('how long leaving compute waits, after draining the node, for its running jobs to end before the switch is blocked (at most 1200: the run must end inside the unit\'s TimeoutStartSec=30min)'),
  commandTimeoutSeconds: z.int().min(1).max(120).default(10).describe('the bound of each scontrol and squeue call'),
});
export type SlurmConfig = z.infer<typeof SlurmConfig>;

export const ToolPaths = z
  .strictObject({
    systemctl: z.string().min(1),
    loginctl: z.string().min(1),
    nvidiaSmi: z.string().min(1),
    lspci: z.string().min(1),
    bootctl: z.string().min(1),
    pactl: z.string().min(1),
    busctl: z.string().min(1),
    journalctl: z.string().min(1),
    scontrol: z.string().min(1),
    squeue: z.string().min(1),
  })
  .partial()
  .describe('override a tool; by default each is looked up on PATH');
export type ToolPaths = z.infer<typeof ToolPaths>;

export const Config = z.strictObject({
  schemaVersion: z.literal(1),
  hostname: z.string().min(1).max(253),
  hardware: HardwareConfig,
  capabilityPlacement: z.strictObject({ studio: z.enum(['local', 'remote', 'disabled']) }),
  vllm: VllmConfig,
  k3s: z.strictObject({ enable: z.boolean() }),
  boot: z.strictObject({ defaultMode: ModeName }),
  units: UnitsConfig,
  slices: z.strictObject({ baseline: PerSlice(BaselineWeights), studio: PerSlice(SliceWeights) }),
  audio: AudioConfig,
  persistencePaths: z.array(AbsolutePath).describe('paths compute needs (the model store among them)'),
  thresholds: Thresholds,
  /** the warning before a switch ends a graphical session someone is using */
  notice: NoticeConfig.default({ graceSeconds: 60, idleAfterSeconds: 300, ifUnwarned: 'wait' }),
  tools: ToolPaths.default({}),
  /** Prometheus metrics for a lab of workstations (effects/fleet/metrics/) */
  metrics: MetricsConfig.default({ enable: false, textfileDir: DEFAULT_TEXTFILE_DIR }),
  /** Slurm follows the mode (effects/fleet/slurm/) */
  slurm: SlurmConfig.default({ enable: false, nodeName: null, computeFeature: null, drainWaitSeconds: 600, commandTimeoutSeconds: 10 }),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
