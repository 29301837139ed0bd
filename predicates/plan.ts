// The plan from the observed state to a target mode: ordered steps, each with
// its inverse. Plans converge from whatever the facts say rather than from a
// named source mode, so the same function serves desktop → studio-local,
// compute → desktop and a degraded or unknown start alike: a step is planned
// only when the facts do not already show its effect, and a fact that cannot
// be read plans the (idempotent) step anyway.
//
// Leaving studio-local or compute always passes through desktop semantics:
// studio-local → compute first stops the overlay and restores the baseline
// weights; compute → studio-local first returns to the desktop target.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName, ObservedModeName } from '../schemas/names.ts';
import type { PlanStep } from '../schemas/records.ts';
import { holds } from './check.ts';
import { graphicalDesktopUp } from './modes.ts';
import { graphicalSessions, whyNotTerminable } from './sessions.ts';
import { userManagersHoldingComputeGpus } from './gpu-holders.ts';
import { isNotRunning } from './units.ts';
import { effectiveWeight, SLICE_ROLES } from './slices.ts';
import {
  isolateStep,
  observedUnit,
  setWeightsStep,
  startStep,
  stopStep,
  stopUserGraphicalSessionStep,
  terminateStep,
  waitStep,
} from './step-builders.ts';

export function planTransition(from: ObservedModeName, to: ModeName, facts: Facts, config: Config): PlanStep[] {
  if (from === to) return [];
  switch (to) {
    case 'desktop':
      return [...leaveCompute(facts, config), ...leaveOverlay(facts, config)];
    case 'studio-local': {
      const back = leaveCompute(facts, config);
      const isolated = back.some((s) => s.action.kind === 'isolate');
      return [...back, ...enterOverlay(facts, config, isolated)];
    }
    case 'compute':
      return [...leaveOverlay(facts, config), ...enterCompute(facts, config)];
  }
}

const isActive = (facts: Facts, unit: string): boolean => observedUnit(facts, unit)?.activeState === 'active';
/** Not running (inactive or failed) as far as the facts show; an unobserved unit is not assumed stopped. */
const isInactive = (facts: Facts, unit: string): boolean => {
  const state = observedUnit(facts, unit)?.activeState;
  return state !== undefined && isNotRunning(state);
};

function weightsDiffer(facts: Facts, config: Config, role: (typeof SLICE_ROLES)[number], profile: 'baseline' | 'studio'): boolean {
  const unit = observedUnit(facts, config.units.slices[role]);
  const wanted = config.slices[profile][role];
  return unit === null || effectiveWeight(unit.cpuWeight) !== effectiveWeight(wanted.cpuWeight) || effectiveWeight(unit.ioWeight) !== effectiveWeight(wanted.ioWeight);
}

/** Stop the overlay and put the slices back at baseline. */
function leaveOverlay(facts: Facts, config: Config): PlanStep[] {
  const stops = [...config.units.studioOverlay]
    .reverse()
    .filter((unit) => !isInactive(facts, unit))
    .map((unit) => stopStep(facts, unit));
  const weights = SLICE_ROLES.filter((role) => weightsDiffer(facts, config, role, 'baseline')).map((role) =>
    setWeightsStep(facts, config, role, 'baseline'),
  );
  return [...stops, ...weights];
}

/** Studio weights, then the overlay services in their configured order. */
function enterOverlay(facts: Facts, config: Config, afterIsolate: boolean): PlanStep[] {
  const weights = SLICE_ROLES.filter((role) => weightsDiffer(facts, config, role, 'studio')).map((role) =>
    setWeightsStep(facts, config, role, 'studio'),
  );
  // Isolating the desktop target stops overlay services it does not want, so after it every one is started.
  const starts = config.units.studioOverlay
    .filter((unit) => afterIsolate || !isActive(facts, unit))
    .map((unit) => startStep(facts, unit));
  return [...weights, ...starts];
}

/** Stop vLLM, then bring the graphical target back. */
function leaveCompute(facts: Facts, config: Config): PlanStep[] {
  const u = config.units;
  const vllmStops = [u.vllmReady, u.vllm]
    .filter((unit) => !isInactive(facts, unit) && (config.vllm.enable || observedUnit(facts, unit) !== null))
    .map((unit) => stopStep(facts, unit, unit === u.vllm ? ['the model served by vLLM stops answering'] : []));
  const steps: PlanStep[] = [...vllmStops];
  if (vllmStops.length > 0) steps.push(waitStep(config, 'vllm-gone', `wait until ${u.vllm} and ${u.vllmReady} are inactive`));
  if (!holds(graphicalDesktopUp(facts, config))) {
    const undo = isActive(facts, u.computeTarget) ? u.computeTarget : null;
    steps.push(isolateStep(u.desktopTarget, undo, []));
    steps.push(waitStep(config, 'graphical-up', `wait until ${u.desktopTarget} and ${u.displayManager} are active`));
  }
  return steps;
}

/** End the seat0 sessions, isolate the compute target, then start vLLM once the GPU is free. */
function enterCompute(facts: Facts, config: Config): PlanStep[] {
  const u = config.units;
  const terminable = (graphicalSessions(facts) ?? []).filter((s) => whyNotTerminable(s) === null);
  const steps: PlanStep[] = terminable.map(terminateStep);
  if (steps.length > 0) steps.push(waitStep(config, 'sessions-closed', 'wait until no user graphical session is left on seat0'));
  // user units of the desktop (kwin_wayland, plasmashell) outlive the session while another session keeps the user manager
  if (facts.gpuHolders.status === 'known') {
    const gpus = facts.gpus.status === 'known' ? facts.gpus.value : null;
    steps.push(...userManagersHoldingComputeGpus(facts.gpuHolders.value, gpus, config).map(stopUserGraphicalSessionStep));
  }
  const computeUp = isActive(facts, u.computeTarget) && isInactive(facts, u.desktopTarget) && isInactive(facts, u.displayManager);
  if (!computeUp) {
    const undo = isActive(facts, u.desktopTarget) ? u.desktopTarget : null;
    steps.push(isolateStep(u.computeTarget, undo, [`the desktop stops: ${u.displayManager} and everything ${u.computeTarget} does not want`]));
  }
  steps.push(waitStep(config, 'gpu-released', `wait until display processes release compute GPUs ${config.hardware.computeGpus.join(', ')}`));
  if (config.vllm.enable) {
    if (!isActive(facts, u.vllm)) steps.push(startStep(facts, u.vllm));
    // vllm-ready is a oneshot that succeeds once vLLM answers /health: starting it is the readiness wait.
    if (!isActive(facts, u.vllmReady)) steps.push(startStep(facts, u.vllmReady));
  }
  return steps;
}
