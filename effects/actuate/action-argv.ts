// The argv of each action, built in one place. A unit name always comes after
// `--`, so even a name that slipped past validation cannot be read as an
// option. set-property is always --runtime: no overlay weight outlives a
// reboot. A null weight is written as `CPUWeight=` (empty), which systemd
// reads as "unset" (verified on systemd 252: the property reads back as
// `[not set]`, even over a value from the unit file).
import type { MutatingAction } from '../../machines/host.ts';
import type { ToolName } from '../exec/command-result.ts';
import type { Thresholds } from '../../schemas/config.ts';

export interface ActionCommand {
  tool: ToolName;
  args: string[];
  timeoutKey: keyof Thresholds['stepTimeoutsMs'];
}

export function actionCommand(action: MutatingAction): ActionCommand {
  switch (action.kind) {
    case 'start':
      return { tool: 'systemctl', args: ['start', '--', action.unit], timeoutKey: 'start' };
    case 'stop':
      return { tool: 'systemctl', args: ['stop', '--', action.unit], timeoutKey: 'stop' };
    case 'isolate':
      return { tool: 'systemctl', args: ['isolate', '--', action.unit], timeoutKey: 'isolate' };
    case 'set-property':
      return {
        tool: 'systemctl',
        args: ['set-property', '--runtime', '--', action.unit, `CPUWeight=${action.weights.cpuWeight ?? ''}`, `IOWeight=${action.weights.ioWeight ?? ''}`],
        timeoutKey: 'setProperty',
      };
    case 'terminate-session':
      return { tool: 'loginctl', args: ['terminate-session', '--', action.sessionId], timeoutKey: 'terminateSession' };
    case 'stop-user-unit':
      // the user's own manager, reached as root through systemd-run and systemd-stdio-bridge (--machine=UID@.host)
      return { tool: 'systemctl', args: ['--user', `--machine=${action.uid}@`, 'stop', '--', action.unit], timeoutKey: 'stop' };
  }
}

/** For messages: what the action does, in words. */
export function describeAction(action: MutatingAction): string {
  switch (action.kind) {
    case 'set-property':
      return `set ${action.unit} CPUWeight=${action.weights.cpuWeight ?? '(unset)'} IOWeight=${action.weights.ioWeight ?? '(unset)'}`;
    case 'terminate-session':
      return `terminate session ${action.sessionId}${action.user ? ` of ${action.user}` : ''}${action.seat ? ` on ${action.seat}` : ''}`;
    case 'stop-user-unit':
      return `stop ${action.unit} in the user manager of uid ${action.uid}`;
    default:
      return `${action.kind} ${action.unit}`;
  }
}
