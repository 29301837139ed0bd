// The fleet adapters the config turns on, in the order they are asked. A
// workload manager's adapter (Slurm, k3s) is added here behind its own
// config key, the same way as the metrics.
import type { Config } from '../../schemas/config.ts';
import { metricsAdapter } from './metrics/adapter.ts';
import type { FleetAdapter } from './port.ts';
import { slurmAdapter } from './slurm/adapter.ts';

export function fleetAdapters(config: Config): FleetAdapter[] {
  const adapters: FleetAdapter[] = [];
  if (config.metrics.enable) adapters.push(metricsAdapter(config.metrics));
  if (config.slurm.enable) adapters.push(slurmAdapter(config));
  return adapters;
}
