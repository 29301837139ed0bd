// The command a simulated operation stands for, as its evidence names it:
// the same argv the real actuators run (effects/actuate/action-argv.ts).
import type { MutatingAction } from '../machines/host.ts';
import type { CommandEvidence } from '../schemas/records.ts';

export function argvOf(action: MutatingAction): string[] {
  switch (action.kind) {
    case 'start':
    case 'stop':
    case 'isolate':
      return ['systemctl', action.kind, '--', action.unit];
    case 'set-property': {
      const w = action.weights;
      return ['systemctl', 'set-property', '--runtime', '--', action.unit, `CPUWeight=${w.cpuWeight ?? ''}`, `IOWeight=${w.ioWeight ?? ''}`];
    }
    case 'terminate-session':
      return ['loginctl', 'terminate-session', '--', action.sessionId];
    case 'stop-user-unit':
      return ['systemctl', '--user', `--machine=${action.uid}@`, 'stop', '--', action.unit];
  }
}

export const evidence = (argv: string[], exitCode: number | null, stderr: string[], durationMs: number, timedOut: boolean): CommandEvidence => ({
  argv,
  exitCode,
  signal: timedOut ? 'SIGTERM' : null,
  timedOut,
  stdout: [],
  stderr,
  durationMs,
});
