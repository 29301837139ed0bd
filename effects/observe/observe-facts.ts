// Reads every fact source at once, each collector with its own timeout
// (thresholds.stepTimeoutsMs.observe), and returns Facts. A source that
// cannot be read is an `unknown` with its reason; a collector that throws
// (a bug) becomes `unknown` too, so one broken source never hides the rest.
import type { Config } from '../../schemas/config.ts';
import type { Fact, FactName, Facts } from '../../schemas/facts.ts';
import type { RunCommand } from '../exec/command-result.ts';
import { runReadOnly } from '../exec/run-read-only.ts';
import { collectAlsa } from './collect-alsa.ts';
import { collectAudioProcesses } from './collect-audio-processes.ts';
import { collectAudioRealtime } from './collect-audio-realtime.ts';
import { collectAudioStreams } from './collect-audio-streams.ts';
import { collectGpuHolders } from './collect-gpu-holders.ts';
import { collectGpus } from './collect-gpus.ts';
import { collectMemory } from './collect-memory.ts';
import { collectModel } from './collect-model.ts';
import { collectPaths } from './collect-paths.ts';
import { collectSessions } from './collect-sessions.ts';
import { collectSlurm } from './collect-slurm.ts';
import { collectUnits } from './collect-units.ts';
import { unknown } from './fact-builders.ts';
import { HOST_ROOTS, type FsRoots, type ObserveContext } from './observe-context.ts';
import { describeError } from '../../shared/describe-error.ts';

export interface ObserveOptions {
  signal?: AbortSignal | undefined;
  now?: (() => Date) | undefined;
  roots?: Partial<FsRoots> | undefined;
  /** the runner for tools; the child_process one by default */
  run?: RunCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** per-collector timeout; config.thresholds.stepTimeoutsMs.observe by default */
  timeoutMs?: number | undefined;
  killGraceMs?: number | undefined;
}

export function observeContext(config: Config, options: ObserveOptions = {}): ObserveContext {
  return {
    config,
    run: options.run ?? runReadOnly,
    now: options.now ?? (() => new Date()),
    roots: { ...HOST_ROOTS, ...options.roots },
    timeoutMs: options.timeoutMs ?? config.thresholds.stepTimeoutsMs.observe,
    signal: options.signal,
    env: options.env,
    killGraceMs: options.killGraceMs,
  };
}

export async function observeFacts(config: Config, options: ObserveOptions = {}): Promise<Facts> {
  const ctx = observeContext(config, options);
  const observedAt = ctx.now().toISOString();
  const guard = <T>(name: FactName, collect: (c: ObserveContext) => Promise<Fact<T>>): Promise<Fact<T>> =>
    collect(ctx).catch((error: unknown) =>
      unknown('not-observed', `the ${name} collector failed unexpectedly (${describeError(error)}); this is a bug, please report it`, { kind: 'simulated', name: `collector:${name}` }, ctx.now().toISOString()),
    );
  // only a Slurm node has the slurm fact: absent, not unknown, when config.slurm.enable is false
  const slurmRead = ctx.config.slurm.enable ? guard('slurm', collectSlurm) : null;
  // nvidia-smi first: it is the slowest tool of an observation (on the
  // workstation too), and starting each tool takes its fork and exec
  const [gpus, units, sessions, alsa, audioStreams, audioProcesses, audioRealtime, memory, paths, gpuHolders, model] = await Promise.all([
    guard('gpus', collectGpus),
    guard('units', collectUnits),
    guard('sessions', collectSessions),
    guard('alsa', collectAlsa),
    guard('audioStreams', collectAudioStreams),
    guard('audioProcesses', collectAudioProcesses),
    guard('audioRealtime', collectAudioRealtime),
    guard('memory', collectMemory),
    guard('paths', collectPaths),
    guard('gpuHolders', collectGpuHolders),
    guard('model', collectModel),
  ]);
  const facts: Facts = { observedAt, units, sessions, gpus, alsa, audioStreams, audioProcesses, audioRealtime, memory, paths, gpuHolders, model };
  if (slurmRead) facts.slurm = await slurmRead;
  return facts;
}
