// The floors of a studio round trip (desktop → studio-local → desktop), as
// shell scripts making exactly the systemctl calls the controller makes, with
// the same argv (built by the actuator's own actionCommand):
//   the systemctl script — those calls and nothing else (issue 8's floor);
//   the verified floor — per request, those calls plus one run of the
//     observer's own tool calls, which is what verifying the switch must
//     read at the least (issue 17). Guards, plan and records are left out.
import { actionCommand } from '../../effects/actuate/action-argv.ts';
import type { MutatingAction } from '../../machines/host.ts';
import type { Config, SliceRole } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';

const ROLES: readonly SliceRole[] = ['interactive', 'ai', 'platform'];

export interface RequestActions {
  target: ModeName;
  actions: MutatingAction[];
}

/** The two requests of the round trip, each with its actions in the controller's plan order. */
export function studioRoundTripRequests(config: Config): RequestActions[] {
  const weights = (profile: 'baseline' | 'studio'): MutatingAction[] =>
    ROLES.map((role) => ({ kind: 'set-property', unit: config.units.slices[role], weights: { ...config.slices[profile][role] } }));
  const overlay = config.units.studioOverlay;
  return [
    { target: 'studio-local', actions: [...weights('studio'), ...overlay.map((unit): MutatingAction => ({ kind: 'start', unit }))] },
    { target: 'desktop', actions: [...[...overlay].reverse().map((unit): MutatingAction => ({ kind: 'stop', unit })), ...weights('baseline')] },
  ];
}

/** The actions of the whole round trip, in the controller's plan order. */
export function studioRoundTripActions(config: Config): MutatingAction[] {
  return studioRoundTripRequests(config).flatMap((r) => r.actions);
}

const shellQuote = (arg: string): string => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
const commandLine = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

function callLines(actions: readonly MutatingAction[]): string[] {
  return actions.map((action) => {
    const { tool, args } = actionCommand(action);
    return commandLine([tool, ...args]);
  });
}

export function studioFloorScript(config: Config): string {
  const lines = callLines(studioRoundTripActions(config));
  return ['#!/bin/sh', '# desktop -> studio-local -> desktop: the same systemctl calls as the controller, nothing else', 'set -e', ...lines, ''].join('\n');
}

/**
 * One request's verified floor: its systemctl calls, then the observer's tool
 * calls (argv lists as strace saw the CLI run them), started at once as the
 * observer starts them, their output discarded. A tool's own non-zero status
 * is an answer the observer records (the fact is then unknown), so it does not
 * fail the script; a tool that did not run does, or the floor would be cheap
 * for a wrong reason.
 */
export function verifiedFloorScript(request: RequestActions, observation: readonly (readonly string[])[]): string {
  if (observation.length === 0) throw new Error("the verified floor needs the observer's tool calls (from the strace of one observation); none were given");
  const started = observation.flatMap((argv, i) => [`${commandLine(argv)} >/dev/null 2>&1 &`, `p${i}=$!`]);
  const waited = observation.map((argv, i) => `s=0; wait "$p${i}" || s=$?; ran "$s" ${shellQuote(commandLine(argv))}`);
  return [
    '#!/bin/sh',
    `# request -> ${request.target}: the same systemctl calls as the controller, then one observation (what verification reads)`,
    'set -e',
    ...callLines(request.actions),
    '# the shell says 126 (not executable) or 127 (not found) for a tool it could not run, 128+n for one killed by signal n',
    'ran() { [ "$1" -lt 126 ] || { echo "verified floor: $2 did not run (status $1)" >&2; exit 1; }; }',
    ...started,
    ...waited,
    '',
  ].join('\n');
}
