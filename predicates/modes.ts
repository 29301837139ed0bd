// What makes each mode true (DESIGN.md "Modes"), as checks over facts.
// Desktop and studio-local never look at GPU facts: returning to desktop must
// not depend on nvidia-smi working.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import { combine, conflict, fine, holds, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';
import { gpuReleased, vllmReleased } from './gpu-release.ts';
import { describeSession, isSeat0UserGraphical } from './sessions.ts';
import { sliceWeightsAre, type WeightProfile } from './slices.ts';
import { unitIs } from './units.ts';

export function graphicalDesktopUp(facts: Facts, config: Config): Check {
  const u = config.units;
  return combine(
    unitIs(facts, u.desktopTarget, 'active'),
    unitIs(facts, u.displayManager, 'active'),
    unitIs(facts, u.computeTarget, 'inactive'),
  );
}

/** vLLM counts as stopped only when its units are down and no process of it still holds a GPU (a surviving EngineCore). */
export function vllmDown(facts: Facts, config: Config): Check {
  return combine(unitIs(facts, config.units.vllm, 'inactive'), unitIs(facts, config.units.vllmReady, 'inactive'), vllmReleased(facts, config));
}

const overlayIs = (facts: Facts, config: Config, wanted: 'active' | 'inactive'): Check =>
  combine(...config.units.studioOverlay.map((unit) => unitIs(facts, unit, wanted)));

/** The graphical desktop without vLLM, with the studio overlay and the slice weights as given: desktop and studio-local differ only there. */
function desktopWith(overlay: 'active' | 'inactive', weights: WeightProfile): (facts: Facts, config: Config) => Check {
  return (facts, config) => combine(graphicalDesktopUp(facts, config), vllmDown(facts, config), overlayIs(facts, config, overlay), sliceWeightsAre(facts, config, weights));
}

export const desktopCheck = desktopWith('inactive', 'baseline');

/** The desktop, plus the studio overlay active and the session's slice raised. */
export const studioLocalCheck = desktopWith('active', 'studio');

/** No user's x11/wayland session is alive on seat0. */
export function noSeat0GraphicalSession(facts: Facts): Check {
  const sessions = facts.sessions;
  if (sessions.status === 'unknown') return missingFact(unknownFactReason(sessions, 'sessions'));
  const present = sessions.value.filter(isSeat0UserGraphical);
  if (present.length === 0) return fine([evidenceOf(sessions, 'sessions', [`${sessions.value.length} sessions, none graphical of class user on seat0`])]);
  return combine(
    ...present.map((s) =>
      conflict(
        reason('session-present', `the graphical session ${s.id} of user ${s.user ?? '?'} is alive on seat0`, ['sessions', s.id], [
          evidenceOf(sessions, `sessions.${s.id}`, [describeSession(s)]),
        ]),
      ),
    ),
  );
}

export function computeCheck(facts: Facts, config: Config): Check {
  const u = config.units;
  return combine(
    unitIs(facts, u.computeTarget, 'active'),
    unitIs(facts, u.desktopTarget, 'inactive'),
    unitIs(facts, u.displayManager, 'inactive'),
    noSeat0GraphicalSession(facts),
    gpuReleased(facts, config),
    ...(config.vllm.enable ? [unitIs(facts, u.vllm, 'active'), unitIs(facts, u.vllmReady, 'active')] : []),
  );
}

export function modeCheck(mode: ModeName, facts: Facts, config: Config): Check {
  switch (mode) {
    case 'desktop':
      return desktopCheck(facts, config);
    case 'studio-local':
      return studioLocalCheck(facts, config);
    case 'compute':
      return computeCheck(facts, config);
  }
}

/** The target predicate: holds only when every fact the mode needs is known and agrees. */
export function targetReached(mode: ModeName, facts: Facts, config: Config): Check {
  return modeCheck(mode, facts, config);
}

export const isTargetReached = (mode: ModeName, facts: Facts, config: Config): boolean => holds(targetReached(mode, facts, config));
