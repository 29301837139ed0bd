// The physical floor of a studio round trip: a shell script making exactly
// the systemctl calls the controller makes for desktop → studio-local →
// desktop, with the same argv (built by the actuator's own actionCommand),
// but observing, guarding and recording nothing.
import { actionCommand } from '../../effects/actuate/action-argv.ts';
import type { MutatingAction } from '../../machines/host.ts';
import type { Config, SliceRole } from '../../schemas/config.ts';

const ROLES: readonly SliceRole[] = ['interactive', 'ai', 'platform'];

/** The actions of the round trip, in the controller's plan order. */
export function studioRoundTripActions(config: Config): MutatingAction[] {
  const weights = (profile: 'baseline' | 'studio'): MutatingAction[] =>
    ROLES.map((role) => ({ kind: 'set-property', unit: config.units.slices[role], weights: { ...config.slices[profile][role] } }));
  const overlay = config.units.studioOverlay;
  return [
    ...weights('studio'),
    ...overlay.map((unit): MutatingAction => ({ kind: 'start', unit })),
    ...[...overlay].reverse().map((unit): MutatingAction => ({ kind: 'stop', unit })),
    ...weights('baseline'),
  ];
}

const shellQuote = (arg: string): string => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

export function studioFloorScript(config: Config): string {
  const lines = studioRoundTripActions(config).map((action) => {
    const { tool, args } = actionCommand(action);
    return [tool, ...args].map(shellQuote).join(' ');
  });
  return ['#!/bin/sh', '# desktop -> studio-local -> desktop: the same systemctl calls as the controller, nothing else', 'set -e', ...lines, ''].join('\n');
}
