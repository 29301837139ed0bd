// Every unit and slice the config names, once each, in a stable order: the
// argument list of the one `systemctl show` per observation.
import type { Config } from '../../schemas/config.ts';

export function configuredUnits(config: Config): string[] {
  const { units } = config;
  const names = [
    units.desktopTarget,
    units.computeTarget,
    units.displayManager,
    units.vllm,
    units.vllmReady,
    ...units.studioOverlay,
    units.slices.interactive,
    units.slices.ai,
    units.slices.platform,
    ...units.recoveryCritical,
  ];
  return [...new Set(names)];
}
