// fast-check generators of facts: fully random ones (every fact possibly
// unknown, units possibly missing or not-found, odd sessions and GPU
// processes) and ones near a real mode (a proper mode's facts with a few
// things changed), so properties see both noise and the interesting edges.
import fc from 'fast-check';
import type { Config } from '../../../schemas/config.ts';
import type { Fact, Facts, Gpu, GpuHolder, GpuProcess, ModelBundle, Session, UnitState } from '../../../schemas/facts.ts';
import { MODES } from '../../../schemas/modes.ts';
import { simulatedModelBundle } from '../../../simulation/model-bundle.ts';
import { factsFor, known, modelFact, unknown } from './facts.ts';

const fact = <T>(value: fc.Arbitrary<T>, name: string): fc.Arbitrary<Fact<T>> =>
  fc.oneof({ weight: 5, arbitrary: value.map((v) => known(v, name)) }, { weight: 1, arbitrary: fc.constant(unknown<T>(name)) });

const weight = (config: Config) =>
  fc.oneof(
    fc.constant(null),
    fc.constant(100),
    fc.constantFrom(...Object.values(config.slices.studio).flatMap((w) => [w.cpuWeight, w.ioWeight])),
    fc.integer({ min: 1, max: 10_000 }),
  );

export const unitStateArb = (id: string, config: Config): fc.Arbitrary<UnitState> =>
  fc.record({
    id: fc.constant(id),
    loadState: fc.constantFrom('loaded', 'loaded', 'loaded', 'not-found', 'masked', 'error'),
    activeState: fc.constantFrom('active', 'inactive', 'failed', 'activating', 'deactivating'),
    subState: fc.constantFrom('running', 'dead', 'exited', 'failed'),
    result: fc.option(fc.constantFrom('success', 'exit-code', 'timeout'), { nil: null }),
    cpuWeight: weight(config),
    ioWeight: weight(config),
  });

export function configuredUnits(config: Config): string[] {
  const u = config.units;
  return [u.desktopTarget, u.computeTarget, u.displayManager, u.vllm, u.vllmReady, ...u.studioOverlay, ...Object.values(u.slices), ...u.recoveryCritical];
}

const unitsArb = (config: Config) =>
  fc
    .tuple(...configuredUnits(config).map((id) => fc.tuple(fc.nat(9).map((n) => n > 0), unitStateArb(id, config))))
    .map((pairs) => pairs.filter(([present]) => present).map(([, u]) => u));

export const sessionArb: fc.Arbitrary<Session> = fc.record({
  id: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), fc.constantFrom('c1', 'x y', '')),
  user: fc.option(fc.constantFrom('alice', 'gdm', 'bob'), { nil: null }),
  uid: fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: null }),
  seat: fc.option(fc.constantFrom('seat0', 'seat1'), { nil: null }),
  type: fc.constantFrom('x11', 'wayland', 'tty', 'unspecified', 'mir'),
  class: fc.constantFrom('user', 'greeter', 'lock-screen', 'background', 'manager'),
  active: fc.option(fc.boolean(), { nil: null }),
  state: fc.option(fc.constantFrom('online', 'active', 'closing'), { nil: null }),
  remote: fc.option(fc.boolean(), { nil: null }),
  service: fc.option(fc.constantFrom('gdm-password', 'sshd', 'login'), { nil: null }),
  leader: fc.option(fc.integer({ min: 1, max: 1 << 22 }), { nil: null }),
});

const gpuProcessArb: fc.Arbitrary<GpuProcess> = fc.record({
  pid: fc.integer({ min: 1, max: 1 << 22 }),
  type: fc.constantFrom('G', 'C', 'C+G', 'M', 'M+C', 'unknown'),
  name: fc.constantFrom('Xorg', 'gnome-shell', 'python3', 'vllm'),
  usedMemoryMiB: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: null }),
});

const gpuArb = (index: number): fc.Arbitrary<Gpu> =>
  fc.record({
    index: fc.constant(index),
    busId: fc.constant(null),
    name: fc.constant('NVIDIA GeForce RTX 4090'),
    uuid: fc.constant(null),
    memoryUsedMiB: fc.option(fc.integer({ min: 0, max: 24_564 }), { nil: null }),
    memoryTotalMiB: fc.constant(24_564),
    displayActive: fc.option(fc.boolean(), { nil: null }),
    migEnabled: fc.constant(null),
    processes: fc.array(gpuProcessArb, { maxLength: 3 }),
  });

export const randomFactsArb = (config: Config): fc.Arbitrary<Facts> =>
  fc.record({
    observedAt: fc.constant('2026-11-26T10:00:00.000Z'),
    units: fact(unitsArb(config), 'systemctl'),
    sessions: fact(fc.array(sessionArb, { maxLength: 4 }), 'loginctl'),
    gpus: fact(fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }).chain((ix) => fc.tuple(...ix.map(gpuArb))), 'nvidia-smi'),
    alsa: fact(
      fc.array(
        fc.record({
          path: fc.constant('/proc/asound/card0/pcm0p/sub0'),
          card: fc.constant(0),
          device: fc.constant(0),
          subdevice: fc.constant(0),
          state: fc.option(fc.constantFrom('RUNNING', 'PREPARED', 'closed'), { nil: null }),
          running: fc.boolean(),
          ownerPid: fc.option(fc.integer({ min: 1, max: 1 << 22 }), { nil: null }),
        }),
        { maxLength: 2 },
      ),
      'alsa',
    ),
    audioStreams: fact(
      fc.array(fc.record({ id: fc.constant('42'), application: fc.option(fc.constant('Firefox'), { nil: null }), pid: fc.option(fc.constant(4711), { nil: null }), uid: fc.option(fc.constant(1000), { nil: null }), corked: fc.option(fc.boolean(), { nil: null }), running: fc.boolean() }), { maxLength: 2 }),
      'pactl',
    ),
    audioProcesses: fact(fc.array(fc.record({ pid: fc.integer({ min: 1, max: 1 << 22 }), name: fc.constantFrom('reaper', 'bash', 'ardour') }), { maxLength: 2 }), 'ps'),
    audioRealtime: fact(
      fc.record({
        servers: fc.array(
          fc.record({
            pid: fc.integer({ min: 1, max: 1 << 22 }),
            command: fc.constant('pipewire'),
            uid: fc.option(fc.constant(1000), { nil: null }),
            unit: fc.option(fc.constant('user@1000.service'), { nil: null }),
            userUnit: fc.option(fc.constant('pipewire.service'), { nil: null }),
            threads: fc.array(
              fc.record({
                tid: fc.integer({ min: 1, max: 1 << 22 }),
                name: fc.constantFrom('pipewire', 'data-loop.0', 'pw-(x) y'),
                policy: fc.constantFrom('SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_IDLE'),
                rtPriority: fc.integer({ min: 0, max: 99 }),
              }),
              { minLength: 1, maxLength: 4 },
            ),
          }),
          { maxLength: 2 },
        ),
        rtkit: fc.array(fc.record({ pid: fc.integer({ min: 1, max: 1 << 22 }), name: fc.constant('rtkit-daemon') }), { maxLength: 1 }),
      }),
      'proc-task-stat',
    ),
    memory: fact(
      fc.record({ memTotalKiB: fc.option(fc.integer({ min: 0, max: 1 << 30 }), { nil: null }), memAvailableKiB: fc.option(fc.integer({ min: 0, max: 1 << 30 }), { nil: null }) }),
      '/proc/meminfo',
    ),
    paths: fact(
      fc.array(
        fc.record({
          path: fc.constantFrom(...config.persistencePaths, config.vllm.modelStore, '/elsewhere'),
          exists: fc.boolean(),
          isDirectory: fc.option(fc.boolean(), { nil: null }),
          freeBytes: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: null }),
        }),
        { maxLength: 3 },
      ),
      'statfs',
    ),
    gpuHolders: fact(fc.array(gpuHolderArb(config), { maxLength: 3 }), 'proc-fd'),
    model: modelBundleFactArb(config),
  });

/** A holder of a GPU node from any place the predicates tell apart: the display manager, a session, a user unit, vLLM, a system service. */
const gpuHolderArb = (config: Config): fc.Arbitrary<GpuHolder> =>
  fc.record({
    pid: fc.integer({ min: 1, max: 1 << 22 }),
    command: fc.constantFrom('Xorg', 'kwin_wayland', 'VLLM::EngineCor', 'nvidia-persiste'),
    uid: fc.option(fc.constantFrom(0, 1000), { nil: null }),
    devices: fc.subarray(['/dev/nvidia0', '/dev/nvidia1', '/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-modeset'], { minLength: 1 }),
    place: fc.constantFrom(
      { cgroup: `/system.slice/${config.units.displayManager}`, unit: config.units.displayManager, userUnit: null, session: null },
      { cgroup: '/user.slice/user-1000.slice/session-2.scope', unit: 'session-2.scope', userUnit: null, session: '2' },
      { cgroup: '/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-kwin_wayland.service', unit: 'user@1000.service', userUnit: 'plasma-kwin_wayland.service', session: null },
      { cgroup: `/ai.slice/${config.units.vllm}`, unit: config.units.vllm, userUnit: null, session: null },
      { cgroup: '/system.slice/nvidia-persistenced.service', unit: 'nvidia-persistenced.service', userUnit: null, session: null },
    ),
  }).map(({ place, ...rest }) => ({ ...rest, ...place }));

/** The seeded bundle, or one with a shard absent or truncated, a folder that is not there, or a config without its numbers. */
const modelBundleFactArb = (config: Config): fc.Arbitrary<Fact<ModelBundle>> => {
  const complete = simulatedModelBundle(config);
  if (complete === null) return fc.constant(modelFact(config));
  const broken: fc.Arbitrary<ModelBundle> = fc.oneof(
    fc.constant(complete),
    fc.constant<ModelBundle>({ ...complete, directoryExists: false, config: null, weightIndex: null, weightFiles: [] }),
    fc.nat(complete.weightFiles.length - 1).map((i) => ({ ...complete, weightFiles: complete.weightFiles.map((w, j) => (j === i ? { ...w, exists: false, sizeBytes: null, dataEndBytes: null, tensorBytes: null, tensors: null, dtypes: [] } : w)) })),
    fc.nat(complete.weightFiles.length - 1).map((i) => ({ ...complete, weightFiles: complete.weightFiles.map((w, j) => (j === i ? { ...w, sizeBytes: (w.dataEndBytes ?? 0) - 1 } : w)) })),
    fc.constant({ ...complete, config: complete.config && { ...complete.config, numHiddenLayers: null } }),
    fc.integer({ min: 1, max: 64 }).map((gb) => ({ ...complete, weightFiles: [{ ...complete.weightFiles[0]!, tensorBytes: gb * 1e9 }] })),
  );
  return fact(broken, 'model');
};

/** A mode's proper facts with up to two facts replaced by random ones. */
export const nearModeFactsArb = (config: Config): fc.Arbitrary<Facts> =>
  fc
    .tuple(fc.constantFrom(...MODES), randomFactsArb(config), fc.subarray(['units', 'sessions', 'gpus', 'alsa', 'memory', 'paths'] as const, { maxLength: 2 }))
    .map(([mode, noise, keys]) => {
      const facts: Facts = factsFor(mode, config);
      const out = { ...facts } as Record<string, unknown>;
      for (const k of keys) out[k] = noise[k];
      return out as Facts;
    });

export const factsArb = (config: Config): fc.Arbitrary<Facts> => fc.oneof(randomFactsArb(config), nearModeFactsArb(config));
