// How long one action may take. Starting the vLLM readiness unit blocks until
// vLLM answers its health check, so it gets the vLLM readiness budget rather
// than an ordinary start's.
import type { Config } from '../schemas/config.ts';
import type { Action } from '../schemas/records.ts';

export function stepTimeoutMs(action: Action, config: Config): number {
  const t = config.thresholds.stepTimeoutsMs;
  switch (action.kind) {
    case 'start':
      return action.unit === config.units.vllmReady ? t.vllmReady : t.start;
    case 'stop':
      return t.stop;
    case 'isolate':
      return t.isolate;
    case 'set-property':
      return t.setProperty;
    case 'terminate-session':
      return t.terminateSession;
    case 'stop-user-unit':
      return t.stop;
    case 'drain-work':
    case 'resume-work':
      // the adapter's calls (scontrol update, the feature) and the observation that proves them, each bounded by the command timeout
      return WORK_CALLS_BOUND * config.slurm.commandTimeoutSeconds * 1000;
    case 'wait':
      return action.timeoutMs;
  }
}

/** A drain or resume: up to three Slurm calls and the proving observation. */
export const WORK_CALLS_BOUND = 4;

/**
 * How often a wait observes again. Waiting for Slurm jobs to end can last
 * drainWaitSeconds (10 min by default): every 5 s is enough for a job's end and
 * keeps 10 min of waiting to 120 observations of the whole machine.
 */
export const WORK_POLL_MS = 5000;

export function pollMs(action: Extract<Action, { kind: 'wait' }>, config: Config): number {
  return action.until === 'work-ended' ? Math.max(config.thresholds.pollIntervalMs, WORK_POLL_MS) : config.thresholds.pollIntervalMs;
}

/**
 * Whether an action only waits: a wait on observed facts, or the start of the
 * vLLM readiness unit (a oneshot whose start returns once vLLM answers). Such
 * a step can be stopped early without leaving anything half done.
 */
export function isReadinessWait(action: Action, config: Config): boolean {
  return action.kind === 'wait' || (action.kind === 'start' && action.unit === config.units.vllmReady);
}
