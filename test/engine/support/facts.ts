// Hand-built facts for predicate tests: each mode's facts straight from the
// config, so a test changes exactly one thing and sees what the predicates say.
import type { Config } from '../../../schemas/config.ts';
import type { Fact, Facts, Gpu, GpuHolder, ModelBundle, Session, UnitState } from '../../../schemas/facts.ts';
import type { ModeName } from '../../../schemas/names.ts';
import { REALTIME_PIPEWIRE } from '../../../simulation/audio-realtime.ts';
import { simulatedModelBundle } from '../../../simulation/model-bundle.ts';
import { DEFAULT_USER_SESSION } from '../../../simulation/world.ts';

const AT = '2026-11-26T10:00:00.000Z';
const source = (name: string) => ({ kind: 'simulated' as const, name });

export const known = <T>(value: T, name = 'test'): Fact<T> => ({ status: 'known', value, source: source(name), readAt: AT });
export const unknown = <T>(name = 'test'): Fact<T> => ({
  status: 'unknown',
  code: 'tool-failed',
  reason: `${name} failed in the test`,
  source: source(name),
  readAt: AT,
});

export const unit = (id: string, activeState: string, extra: Partial<UnitState> = {}): UnitState => ({
  id,
  loadState: 'loaded',
  activeState,
  subState: activeState === 'active' ? 'running' : 'dead',
  result: 'success',
  cpuWeight: null,
  ioWeight: null,
  ...extra,
});

// The simulated world's default desktop user, so fixtures and the simulation agree.
export const userSession = (id: string, extra: Partial<Session> = {}): Session => ({ ...DEFAULT_USER_SESSION, id, ...extra });

export const gpu = (index: number, processes: Gpu['processes'] = []): Gpu => ({
  index,
  busId: `00000000:0${index + 1}:00.0`,
  name: 'NVIDIA GeForce RTX 4090',
  uuid: `GPU-${index}`,
  memoryUsedMiB: 0,
  memoryTotalMiB: 24564,
  displayActive: null,
  migEnabled: null,
  processes,
});

export function unitsFor(mode: ModeName, config: Config): UnitState[] {
  const u = config.units;
  const on = (flag: boolean) => (flag ? 'active' : 'inactive');
  const desktop = mode !== 'compute';
  const studio = mode === 'studio-local';
  const weights = config.slices[studio ? 'studio' : 'baseline'];
  return [
    unit(u.desktopTarget, on(desktop)),
    unit(u.displayManager, on(desktop)),
    unit(u.computeTarget, on(!desktop)),
    unit(u.vllm, on(mode === 'compute' && config.vllm.enable)),
    unit(u.vllmReady, on(mode === 'compute' && config.vllm.enable)),
    ...u.studioOverlay.map((name) => unit(name, on(studio))),
    unit(u.slices.interactive, 'active', { ...weights.interactive }),
    unit(u.slices.ai, 'active', { ...weights.ai }),
    unit(u.slices.platform, 'active', { ...weights.platform }),
    ...u.recoveryCritical.map((name) => unit(name, 'active')),
  ];
}

export function factsFor(mode: ModeName, config: Config): Facts {
  const desktop = mode !== 'compute';
  return {
    observedAt: AT,
    units: known(unitsFor(mode, config), 'systemctl'),
    sessions: known(desktop ? [userSession('2')] : [], 'loginctl'),
    gpus: known(
      config.hardware.presentGpus.map((i) =>
        gpu(i, [
          ...(desktop && i === config.hardware.displayGpu ? [{ pid: 900, type: 'G' as const, name: 'Xorg', usedMemoryMiB: 300 }] : []),
          ...(!desktop && config.vllm.enable && config.hardware.computeGpus.includes(i)
            ? [{ pid: 4000, type: 'C' as const, name: 'python3', usedMemoryMiB: 20000 }]
            : []),
        ]),
      ),
      'nvidia-smi',
    ),
    alsa: known([]),
    audioStreams: known([]),
    audioProcesses: known([]),
    // PipeWire's data thread runs SCHED_RR, as with rtkit: studio-local's soft audio-realtime guard passes
    audioRealtime: known(structuredClone(REALTIME_PIPEWIRE), 'proc-task-stat'),
    memory: known({ memTotalKiB: 64 * 1024 * 1024, memAvailableKiB: 48 * 1024 * 1024 }, '/proc/meminfo'),
    paths: known(
      [...new Set([...config.persistencePaths, config.vllm.modelStore])].map((path) => ({
        path,
        exists: true,
        isDirectory: true,
        freeBytes: 500 * 1024 ** 3,
      })),
    ),
    gpuHolders: known(gpuHoldersFor(mode, config), 'proc-fd'),
    model: modelFact(config),
  };
}

/** What /proc/PID/fd shows in each mode: the X server on the desktop, vLLM's worker per compute GPU in compute. */
export function gpuHoldersFor(mode: ModeName, config: Config): GpuHolder[] {
  const u = config.units;
  if (mode !== 'compute') {
    return [{ pid: 900, command: 'Xorg', uid: 0, devices: [`/dev/nvidia${config.hardware.displayGpu}`, '/dev/nvidia-modeset', '/dev/nvidiactl'], cgroup: `/system.slice/${u.displayManager}`, unit: u.displayManager, userUnit: null, session: null }];
  }
  if (!config.vllm.enable) return [];
  return [{ pid: 4000, command: 'python3', uid: 0, devices: [...config.hardware.computeGpus.map((i) => `/dev/nvidia${i}`), '/dev/nvidia-uvm', '/dev/nvidiactl'], cgroup: `/ai.slice/${u.vllm}`, unit: u.vllm, userUnit: null, session: null }];
}

/** The seeded bundle the simulation reports, or not-applicable when compute loads no model. */
export function modelFact(config: Config): Fact<ModelBundle> {
  const bundle = simulatedModelBundle(config);
  return bundle === null
    ? { status: 'unknown', code: 'not-applicable', reason: 'vLLM is disabled or no model is set', source: source('model'), readAt: AT }
    : known(bundle, 'model');
}

/** Replace one unit's state in known unit facts. */
export function withUnit(facts: Facts, id: string, patch: Partial<UnitState>): Facts {
  if (facts.units.status !== 'known') throw new Error('withUnit needs known units');
  return { ...facts, units: { ...facts.units, value: facts.units.value.map((u) => (u.id === id ? { ...u, ...patch } : u)) } };
}
