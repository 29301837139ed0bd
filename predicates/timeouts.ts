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
    case 'wait':
      return action.timeoutMs;
  }
}

/**
 * Whether an action only waits: a wait on observed facts, or the start of the
 * vLLM readiness unit (a oneshot whose start returns once vLLM answers). Such
 * a step can be stopped early without leaving anything half done.
 */
export function isReadinessWait(action: Action, config: Config): boolean {
  return action.kind === 'wait' || (action.kind === 'start' && action.unit === config.units.vllmReady);
}
