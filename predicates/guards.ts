// Guards per target: may the switch begin? Hard failures block before any
// step runs; soft ones warn (the report's verdict is then `soft-only`). Every
// guard over an unknown fact fails closed and names the fact. Desktop's guards
// never read nvidia-smi: going back to desktop must work when nvidia-smi does
// not; its one guard over the GPU holders (a vLLM process that survived) is soft.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName, ObservedModeName } from '../schemas/names.ts';
import type { GuardReport, GuardVerdict, PlanStep } from '../schemas/records.ts';
import {
  audioIdle,
  gpusVisible,
  memoryHeadroom,
  persistencePaths,
  sessionsTerminable,
  unitsIsolatedByPlan,
  unitsLoadable,
  unitsTouchedByPlan,
} from './guard-checks.ts';
import { audioRealtime, realtimeThreadsLine } from './audio-realtime.ts';
import { failed, guardReport, passed, verdictOf } from './guard-verdict.ts';
import { noLeftoverVllm } from './gpu-release.ts';
import { modelBundleComplete, modelFitsGpus } from './model-checks.ts';
import { slurmJobsRunning } from './work.ts';

/** The guards of a switch from `from` to `target` along `plan` (planTransition's; decide.ts makes both). */
export function evaluateGuards(target: ModeName, facts: Facts, config: Config, from: ObservedModeName, plan: PlanStep[], drained = false): GuardReport {
  const slurm = slurmJobsRunning(facts, config, from, target, drained);
  const verdicts = [...commonGuards(facts, plan), ...(slurm === null ? [] : [slurm]), ...targetGuards(target, facts, config, plan)];
  return guardReport(target, from, facts.observedAt, verdicts);
}

function commonGuards(facts: Facts, plan: PlanStep[]): GuardVerdict[] {
  const units = unitsTouchedByPlan(plan);
  return [
    verdictOf('units-not-loadable', 'hard', unitsLoadable(facts, units, unitsIsolatedByPlan(plan)), units.length > 0 ? `every unit the plan starts or isolates is loaded (and every target it isolates allows it): ${units.join(', ')}` : 'the plan starts no unit'),
    vllmWillStop(plan),
  ];
}

function targetGuards(target: ModeName, facts: Facts, config: Config, plan: PlanStep[]): GuardVerdict[] {
  switch (target) {
    case 'desktop':
      // soft: the desktop comes back anyway (stopping vLLM SIGKILLs what is left after TimeoutStopSec), but the record says what survived
      return [verdictOf('vllm-holder-left', 'soft', noLeftoverVllm(facts, config), `no process of a stopped ${config.units.vllm} holds a GPU`)];
    case 'studio-local':
      // soft: the overlay changes weights, not scheduling; the report says whether PipeWire's data thread runs realtime
      return [studioPlacement(config), verdictOf('audio-realtime', 'soft', audioRealtime(facts), realtimeThreadsLine(facts))];
    case 'compute':
      return [
        verdictOf('audio-active', 'hard', audioIdle(facts, config), 'no audio is playing and no configured audio process runs'),
        verdictOf('session-not-terminable', 'hard', sessionsTerminable(facts), 'every graphical session compute ends is a local seat0 session'),
        verdictOf('memory-headroom', 'hard', memoryHeadroom(facts, config), `MemAvailable covers the ${config.thresholds.memoryHeadroomMiB} MiB headroom`),
        verdictOf('persistence-path-missing', 'hard', persistencePaths(facts, config), 'every persistence path exists with enough free space'),
        verdictOf('gpus-not-visible', 'hard', gpusVisible(facts, config), 'every configured GPU is visible'),
        verdictOf('vllm-holder-left', 'hard', noLeftoverVllm(facts, config), `no process of a stopped ${config.units.vllm} holds a GPU`),
        vllmModel(config),
        verdictOf('model-missing', 'hard', modelBundleComplete(facts, config), modelGuardPass(config, `is a complete bundle in ${config.vllm.modelStore}`)),
        verdictOf('model-does-not-fit', 'hard', modelFitsGpus(facts, config), modelGuardPass(config, 'with its KV cache fits the compute GPUs')),
        sessionLoss(plan),
      ];
  }
}

function studioPlacement(config: Config): GuardVerdict {
  const placement = config.capabilityPlacement.studio;
  const evidence = [{ fact: 'config.capabilityPlacement.studio', source: null, lines: [`studio = ${placement}`] }];
  return placement === 'local'
    ? passed('studio-not-local', 'hard', 'studio runs locally on this host', evidence)
    : failed('studio-not-local', 'hard', `capabilityPlacement.studio is "${placement}", so studio-local is not offered on this host`, evidence);
}

function vllmModel(config: Config): GuardVerdict {
  const evidence = [{ fact: 'config.vllm.model', source: null, lines: [`enable = ${config.vllm.enable}`, `model = ${config.vllm.model ?? 'null'}`] }];
  return config.vllm.enable && config.vllm.model === null
    ? failed('vllm-model-unset', 'hard', 'vllm.enable is true but vllm.model is null; set the model in the host configuration', evidence)
    : passed('vllm-model-unset', 'hard', config.vllm.enable ? `vLLM serves ${config.vllm.model}` : 'vLLM is disabled', evidence);
}

function modelGuardPass(config: Config, holds: string): string {
  if (!config.vllm.enable) return 'vLLM is disabled: compute loads no model';
  return config.vllm.model === null ? 'no model is set (vllm-model-unset says so)' : `${config.vllm.model} ${holds}`;
}

/** Soft: the plan ends graphical sessions; the user loses their open work there. */
function sessionLoss(plan: PlanStep[]): GuardVerdict {
  const losses = plan.filter((s) => s.action.kind === 'terminate-session').flatMap((s) => s.losses);
  const evidence = [{ fact: 'plan', source: null, lines: losses }];
  return losses.length === 0
    ? passed('graphical-session-loss', 'soft', 'no graphical session will be terminated', evidence)
    : failed('graphical-session-loss', 'soft', losses.join('; '), evidence);
}

/** Soft: leaving compute stops the model vLLM serves. */
function vllmWillStop(plan: PlanStep[]): GuardVerdict {
  const stops = plan.filter((s) => s.action.kind === 'stop' && s.losses.length > 0 && s.inverse !== null);
  const evidence = [{ fact: 'plan', source: null, lines: stops.map((s) => s.description) }];
  return stops.length === 0
    ? passed('vllm-will-stop', 'soft', 'no running model server is stopped', evidence)
    : failed('vllm-will-stop', 'soft', stops.flatMap((s) => s.losses).join('; '), evidence);
}
