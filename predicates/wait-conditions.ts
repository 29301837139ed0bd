// The predicates a `wait` step polls for. Each is a Check so a wait that times
// out reports the first reason it still did not hold.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { Action } from '../schemas/records.ts';
import type { Check } from './check.ts';
import { gpuReleased } from './gpu-release.ts';
import { graphicalDesktopUp, noSeat0GraphicalSession, vllmDown } from './modes.ts';
import { unitIs } from './units.ts';
import { workDrained, workEnded, workResumed } from './work.ts';

export type WaitUntil = Extract<Action, { kind: 'wait' }>['until'];

export function waitCondition(until: WaitUntil, facts: Facts, config: Config): Check {
  switch (until) {
    case 'gpu-released':
      return gpuReleased(facts, config);
    case 'vllm-ready':
      return unitIs(facts, config.units.vllmReady, 'active');
    case 'vllm-gone':
      return vllmDown(facts, config);
    case 'graphical-up':
      return graphicalDesktopUp(facts, config);
    case 'sessions-closed':
      return noSeat0GraphicalSession(facts);
    case 'work-ended':
      return workEnded(facts);
    case 'work-drained':
      return workDrained(facts);
    case 'work-resumed':
      return workResumed(facts, config);
  }
}
