// What the simulated machine shows an observer: every fact source read from
// the world at one moment, with the faults that make a source unknown.
import type { Config } from '../schemas/config.ts';
import type { Fact, FactName, Facts } from '../schemas/facts.ts';
import type { Faults } from './faults.ts';
import type { SimulatedSlurm } from './slurm.ts';
import type { SimulatedWorld } from './world.ts';

export interface SimulatedSources {
  world: SimulatedWorld;
  config: Config;
  faults: Faults;
  slurm: SimulatedSlurm;
  /** how long display memory lingers on the GPU after the display manager stops */
  gpuDrainMs: number;
}

/** The `n`-th observation (1-based), made at wall time `at` and monotonic `now`. */
export function simulatedFacts(input: SimulatedSources, n: number, at: string, now: number): Facts {
  const w = input.world;
  const read = <T>(name: FactName, value: () => T): Fact<T> => {
    const source = { kind: 'simulated' as const, name };
    const broken = (input.faults.unknownFacts ?? []).some((f) => f.fact === name && n >= (f.fromObservation ?? 1));
    if (broken) return { status: 'unknown', code: 'tool-failed', reason: `simulated failure of the ${name} source`, source, readAt: at };
    return { status: 'known', value: value(), source, readAt: at };
  };
  const facts: Facts = {
    observedAt: at,
    units: read('units', () => [...w.units.values()].map(({ ignoreOnIsolate: _i, wants: _w, ...unit }) => ({ ...unit }))),
    sessions: read('sessions', () => w.sessions.map((s) => ({ ...s }))),
    gpus: read('gpus', () =>
      w.visibleGpus.map((index) => {
        const processes = w.gpuProcesses(index, now, { drainMs: input.gpuDrainMs, stuck: input.faults.gpuNotReleased === true });
        return {
          index,
          busId: `00000000:${(index + 1).toString(16).padStart(2, '0')}:00.0`,
          name: 'NVIDIA GeForce RTX 4090',
          uuid: `GPU-sim-${index}`,
          memoryUsedMiB: processes.reduce((sum, p) => sum + (p.usedMemoryMiB ?? 0), 0),
          memoryTotalMiB: 24_564,
          displayActive: index === input.config.hardware.displayGpu && w.isActive(input.config.units.displayManager),
          migEnabled: false,
          processes,
          minorNumber: index,
        };
      }),
    ),
    alsa: read('alsa', () => w.alsa.map((s) => ({ ...s }))),
    audioStreams: read('audioStreams', () => w.audioStreams.map((s) => ({ ...s }))),
    audioProcesses: read('audioProcesses', () => w.audioProcesses.map((p) => ({ ...p }))),
    audioRealtime: read('audioRealtime', () => structuredClone(w.audioRealtime)),
    memory: read('memory', () => ({ ...w.memory })),
    paths: read('paths', () => w.paths.map((p) => ({ ...p }))),
    gpuHolders: read('gpuHolders', () => w.gpuHolders({ stuck: input.faults.gpuNotReleased === true })),
    model:
      w.modelBundle === null
        ? { status: 'unknown', code: 'not-applicable', reason: 'vLLM is disabled or no model is set: compute loads no model', source: { kind: 'simulated', name: 'model' }, readAt: at }
        : read('model', () => structuredClone(w.modelBundle!)),
  };
  // collected only when the config turns Slurm on, as the real observer does
  if (input.config.slurm.enable) {
    const slurm = read('slurm', () => null);
    facts.slurm = slurm.status === 'unknown' ? slurm : input.slurm.fact(now, at);
  }
  return facts;
}
