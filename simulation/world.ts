// The simulated machine's state and the systemd/logind semantics the engine
// relies on, modelled just faithfully enough: isolate stops every active unit
// the target does not want (except IgnoreOnIsolate ones: slices and
// recovery-critical units), the compute target conflicts with the desktop
// target and the display manager, the display manager owns the seat0
// graphical sessions, vllm-ready.service needs vLLM answering, and each
// operation takes some simulated time.
import type { Config } from '../schemas/config.ts';
import type { AlsaSubstream, AudioRealtime, AudioStream, GpuHolder, GpuProcess, Memory, ModelBundle, NamedProcess, PathState, Session, UnitState } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import { REALTIME_PIPEWIRE } from './audio-realtime.ts';
import { MODE_BOOT_UNIT, type ModeBootModel } from './mode-boot.ts';
import { simulatedModelBundle } from './model-bundle.ts';

export interface SimUnit extends UnitState {
  ignoreOnIsolate: boolean;
  /** units a target pulls in when it is started or isolated */
  wants: string[];
}

export interface WorldInit {
  mode?: ModeName;
  sessions?: Session[];
  alsa?: AlsaSubstream[];
  audioStreams?: AudioStream[];
  audioProcesses?: NamedProcess[];
  /** PipeWire's threads and rtkit; default one daemon whose data thread runs SCHED_RR (audio-realtime.ts) */
  audioRealtime?: AudioRealtime;
  memory?: Memory;
  paths?: PathState[];
  /** the configured model's bundle; default a complete one that fits (simulation/model-bundle.ts); null: not applicable */
  modelBundle?: ModelBundle | null;
  /** GPU indices nvidia-smi lists; default config.hardware.presentGpus */
  visibleGpus?: number[];
  /** weights of the slices at start, per slice unit; default the mode's profile */
  sliceWeights?: Record<string, { cpuWeight: number | null; ioWeight: number | null }>;
  /** units to mark with another LoadState, e.g. { 'vllm-ready.service': 'not-found' } */
  loadStates?: Record<string, string>;
  /** mode-boot.service, wanted (through multi-user.target) by the desktop and compute targets (mode-boot.ts); absent by default */
  modeBoot?: ModeBootModel;
}

export const DEFAULT_USER_SESSION: Session = {
  id: '2',
  user: 'alice',
  uid: 1000,
  seat: 'seat0',
  type: 'wayland',
  class: 'user',
  active: true,
  state: 'active',
  remote: false,
  service: 'gdm-password',
  leader: 1400,
};

export class SimulatedWorld {
  readonly config: Config;
  readonly units = new Map<string, SimUnit>();
  sessions: Session[];
  alsa: AlsaSubstream[];
  audioStreams: AudioStream[];
  audioProcesses: NamedProcess[];
  audioRealtime: AudioRealtime;
  memory: Memory;
  paths: PathState[];
  modelBundle: ModelBundle | null;
  visibleGpus: number[];
  readonly modeBoot: ModeBootModel | null;
  /** runs of mode-boot.service that start jobs caused and the host has not carried out yet */
  modeBootRuns = 0;
  /** monotonic ms when the display manager last stopped; its GPU memory drains for a while after */
  displayStoppedAtMs: number | null = null;
  #nextSession = 10;

  constructor(config: Config, init: WorldInit = {}) {
    this.config = config;
    const mode = init.mode ?? 'desktop';
    const u = config.units;
    const desktop = mode !== 'compute';
    const vllmOn = mode === 'compute' && config.vllm.enable;
    const add = (id: string, active: boolean, extra: Partial<SimUnit> = {}) =>
      this.units.set(id, {
        id,
        loadState: init.loadStates?.[id] ?? 'loaded',
        activeState: active ? 'active' : 'inactive',
        subState: active ? 'running' : 'dead',
        result: 'success',
        cpuWeight: null,
        ioWeight: null,
        ignoreOnIsolate: false,
        wants: [],
        ...extra,
      });
    this.modeBoot = init.modeBoot ?? null;
    // both targets require multi-user.target, which wants mode-boot.service
    const viaMultiUser = this.modeBoot ? [MODE_BOOT_UNIT] : [];
    add(u.desktopTarget, desktop, { wants: [u.displayManager, ...viaMultiUser] });
    add(u.computeTarget, !desktop, { wants: viaMultiUser });
    // not run yet: SimulatedHost.boot() starts it as the boot transaction does
    if (this.modeBoot) add(MODE_BOOT_UNIT, false);
    add(u.displayManager, desktop);
    add(u.vllm, vllmOn);
    add(u.vllmReady, vllmOn);
    for (const id of u.studioOverlay) add(id, mode === 'studio-local');
    const profile = config.slices[mode === 'studio-local' ? 'studio' : 'baseline'];
    for (const [role, id] of Object.entries(u.slices) as [keyof typeof profile, string][]) {
      add(id, true, { ignoreOnIsolate: true, ...(init.sliceWeights?.[id] ?? profile[role]) });
    }
    for (const id of u.recoveryCritical) add(id, true, { ignoreOnIsolate: true });
    this.sessions = init.sessions ?? (desktop ? [DEFAULT_USER_SESSION] : []);
    this.alsa = init.alsa ?? [];
    this.audioStreams = init.audioStreams ?? [];
    this.audioProcesses = init.audioProcesses ?? [];
    this.audioRealtime = init.audioRealtime ?? REALTIME_PIPEWIRE;
    this.memory = init.memory ?? { memTotalKiB: 64 * 1024 * 1024, memAvailableKiB: 40 * 1024 * 1024 };
    this.paths =
      init.paths ??
      [...new Set([...config.persistencePaths, config.vllm.modelStore])].map((path) => ({ path, exists: true, isDirectory: true, freeBytes: 400 * 1024 ** 3 }));
    this.modelBundle = init.modelBundle !== undefined ? init.modelBundle : simulatedModelBundle(config);
    this.visibleGpus = init.visibleGpus ?? [...config.hardware.presentGpus];
  }

  unit(id: string): SimUnit | undefined {
    return this.units.get(id);
  }

  isActive(id: string): boolean {
    return this.units.get(id)?.activeState === 'active';
  }

  setActive(id: string, active: boolean, nowMs: number): void {
    const unit = this.units.get(id);
    if (!unit) return;
    const was = unit.activeState === 'active';
    unit.activeState = active ? 'active' : 'inactive';
    unit.subState = active ? 'running' : 'dead';
    unit.result = 'success';
    if (id === this.config.units.displayManager && was !== active) this.#displayManagerChanged(active, nowMs);
  }

  markFailed(id: string): void {
    const unit = this.units.get(id);
    if (!unit) return;
    unit.activeState = 'failed';
    unit.subState = 'failed';
    unit.result = 'exit-code';
  }

  markActivating(id: string): void {
    const unit = this.units.get(id);
    if (unit) Object.assign(unit, { activeState: 'activating', subState: 'start' });
  }

  /** What systemd's start job does to related units: conflicts stop, wants start. */
  startWithDependencies(id: string, nowMs: number): void {
    const u = this.config.units;
    if (id === MODE_BOOT_UNIT) return this.#startModeBoot(nowMs);
    if (id === u.computeTarget) for (const c of [u.desktopTarget, u.displayManager]) this.setActive(c, false, nowMs);
    if (id === u.desktopTarget || id === u.displayManager) this.setActive(u.computeTarget, false, nowMs);
    if (id === u.vllmReady && !this.isActive(u.vllm)) this.setActive(u.vllm, true, nowMs);
    this.setActive(id, true, nowMs);
    for (const wanted of this.units.get(id)?.wants ?? []) this.startWithDependencies(wanted, nowMs);
  }

  stopWithDependents(id: string, nowMs: number): void {
    // vllm-ready.service is PartOf=vllm.service: it goes when vLLM goes.
    if (id === this.config.units.vllm) this.#stop(this.config.units.vllmReady, nowMs);
    this.#stop(id, nowMs);
  }

  /** Like systemd: stopping a failed unit leaves it failed (with its Result) until reset-failed. */
  #stop(id: string, nowMs: number): void {
    if (this.units.get(id)?.activeState === 'failed') return;
    this.setActive(id, false, nowMs);
  }

  isolate(target: string, nowMs: number): void {
    const keep = new Set([target, ...(this.units.get(target)?.wants ?? [])]);
    for (const unit of this.units.values()) {
      if (!keep.has(unit.id) && !unit.ignoreOnIsolate && unit.activeState !== 'inactive') this.stopWithDependents(unit.id, nowMs);
    }
    this.startWithDependencies(target, nowMs);
  }

  terminateSession(id: string): boolean {
    const before = this.sessions.length;
    this.sessions = this.sessions.filter((s) => s.id !== id);
    return this.sessions.length < before;
  }

  /** Processes on a GPU: the display server while it runs (and while its memory drains), vLLM's workers. */
  gpuProcesses(index: number, nowMs: number, opts: { drainMs: number; stuck: boolean }): GpuProcess[] {
    const processes: GpuProcess[] = [];
    const draining = this.displayStoppedAtMs !== null && nowMs < this.displayStoppedAtMs + opts.drainMs;
    if (index === this.config.hardware.displayGpu) {
      if (this.isActive(this.config.units.displayManager) || draining) processes.push({ pid: 1200, type: 'G', name: '/usr/lib/xorg/Xorg', usedMemoryMiB: 310 + this.config.thresholds.gpuResidualMiB });
      if (opts.stuck && !this.isActive(this.config.units.displayManager)) processes.push({ pid: 1311, type: 'C+G', name: 'gnome-shell', usedMemoryMiB: this.config.thresholds.gpuResidualMiB + 200 });
    }
    if (this.isActive(this.config.units.vllm) && this.config.hardware.computeGpus.includes(index)) {
      processes.push({ pid: 4100 + index, type: 'C', name: 'python3', usedMemoryMiB: 18_000 });
    }
    return processes;
  }

  /**
   * The processes holding GPU nodes open, as /proc/PID/fd shows them: the display server while it runs
   * (its memory may drain after, its descriptors do not), the stuck compositor (a user unit, as on
   * Plasma 6), vLLM's workers; the same PIDs as gpuProcesses.
   */
  gpuHolders(opts: { stuck: boolean }): GpuHolder[] {
    const u = this.config.units;
    const display = `/dev/nvidia${this.config.hardware.displayGpu}`;
    const holders: GpuHolder[] = [];
    if (this.isActive(u.displayManager)) {
      holders.push({ pid: 1200, command: 'Xorg', uid: 0, devices: [display, '/dev/nvidia-modeset', '/dev/nvidiactl'], cgroup: `/system.slice/${u.displayManager}`, unit: u.displayManager, userUnit: null, session: null });
    }
    if (opts.stuck && !this.isActive(u.displayManager)) {
      const userUnit = 'plasma-kwin_wayland.service';
      holders.push({ pid: 1311, command: 'kwin_wayland', uid: 1000, devices: [display, '/dev/nvidia-modeset', '/dev/nvidiactl'], cgroup: `/user.slice/user-1000.slice/user@1000.service/session.slice/${userUnit}`, unit: 'user@1000.service', userUnit, session: null });
    }
    if (this.isActive(u.vllm)) {
      for (const index of this.config.hardware.computeGpus) {
        holders.push({ pid: 4100 + index, command: 'python3', uid: 0, devices: [`/dev/nvidia${index}`, '/dev/nvidia-uvm', '/dev/nvidiactl'], cgroup: `/ai.slice/${u.vllm}`, unit: u.vllm, userUnit: null, session: null });
      }
    }
    return holders;
  }

  /** A start job of an active unit does nothing; otherwise the oneshot runs, and stays active only with RemainAfterExit. */
  #startModeBoot(nowMs: number): void {
    if (!this.modeBoot || this.isActive(MODE_BOOT_UNIT)) return;
    this.modeBootRuns += 1;
    this.setActive(MODE_BOOT_UNIT, this.modeBoot.remainAfterExit, nowMs);
  }

  #displayManagerChanged(active: boolean, nowMs: number): void {
    if (active) {
      this.displayStoppedAtMs = null;
      this.sessions.push({ ...DEFAULT_USER_SESSION, id: `c${this.#nextSession++}`, user: 'gdm', uid: 120, class: 'greeter', service: 'gdm-launch-environment' });
    } else {
      this.displayStoppedAtMs = nowMs;
      this.sessions = this.sessions.filter((s) => s.seat !== 'seat0' || !['x11', 'wayland'].includes(s.type));
    }
  }
}
