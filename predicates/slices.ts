// Slice weight predicates. systemd reports an unset CPUWeight/IOWeight as
// "[not set]" (null in facts); the kernel then applies the default weight
// 100, so null compares as 100 — in the facts and in a baseline that sets no
// weight (user.slice). Restoring keeps null as null (see plan.ts).
import type { BaselineWeights, Config, SliceRole } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import { combine, conflict, fine, type Check } from './check.ts';
import { evidenceOf, reason } from './evidence.ts';
import { lookupUnit } from './units.ts';

/** systemd's CGROUP_WEIGHT_DEFAULT, in effect when a weight is not set. */
export const DEFAULT_WEIGHT = 100;

/** The slice roles, as data here because schemas/config.ts would load zod. */
export const SLICE_ROLES: readonly SliceRole[] = ['interactive', 'ai', 'platform'];

export type WeightProfile = 'baseline' | 'studio';

export const effectiveWeight = (value: number | null): number => value ?? DEFAULT_WEIGHT;

export function sliceWeightsAre(facts: Facts, config: Config, profile: WeightProfile): Check {
  return combine(...SLICE_ROLES.map((role) => sliceWeightIs(facts, config, role, config.slices[profile][role], profile)));
}

function sliceWeightIs(facts: Facts, config: Config, role: SliceRole, wanted: BaselineWeights, profile: WeightProfile): Check {
  const name = config.units.slices[role];
  const found = lookupUnit(facts, name);
  if (!found.found) return found.check;
  const { cpuWeight, ioWeight } = found.unit;
  const shown = (v: number | null): string => (v === null ? '[not set]' : String(v));
  const evidence = [
    evidenceOf(facts.units, `units.${name}.cpuWeight`, [`${name}: CPUWeight=${shown(cpuWeight)} IOWeight=${shown(ioWeight)}`]),
  ];
  if (effectiveWeight(cpuWeight) === effectiveWeight(wanted.cpuWeight) && effectiveWeight(ioWeight) === effectiveWeight(wanted.ioWeight)) return fine(evidence);
  return conflict(
    reason(
      'slice-weight',
      `${name} has CPUWeight=${shown(cpuWeight)} IOWeight=${shown(ioWeight)}, expected the ${profile} weights CPUWeight=${shown(wanted.cpuWeight)} IOWeight=${shown(wanted.ioWeight)}`,
      ['units', name, 'weights'],
      evidence,
    ),
  );
}
