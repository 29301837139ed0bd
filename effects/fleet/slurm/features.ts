// The node-feature change that adds or removes slurm.computeFeature. Without a
// node_features plugin Slurm 22.05 takes AvailableFeatures= and
// ActiveFeatures= from `scontrol update` as given, and refuses active
// features that are not available ("Active features not subset of available
// features"), so both lists are set in one update, the other features kept.
export interface NodeFeatures {
  available: readonly string[];
  active: readonly string[];
}

/** the `scontrol update` settings, or null when the node already is as wanted */
export function featureUpdate(features: NodeFeatures, feature: string, change: 'add' | 'remove'): string[] | null {
  const has = (list: readonly string[]) => list.includes(feature);
  if (change === 'add' && has(features.available) && has(features.active)) return null;
  if (change === 'remove' && !has(features.available) && !has(features.active)) return null;
  const without = (list: readonly string[]) => list.filter((f) => f !== feature);
  const available = change === 'add' ? [...without(features.available), feature] : without(features.available);
  const active = change === 'add' ? [...without(features.active), feature] : without(features.active);
  return [`AvailableFeatures=${available.join(',')}`, `ActiveFeatures=${active.join(',')}`];
}
