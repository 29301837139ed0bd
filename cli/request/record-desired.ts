// Records the requested mode as desired (a new generation) through the
// records store. Only root can write /run/mode-controller: for anyone else
// (a member of modectl) the run records it when its unit starts
// (effects/records/desired-at-start.ts).
import type { RecordPaths } from '../../effects/records/paths.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { DesiredRecord } from '../../schemas/records.ts';

export type DesiredResult = { recorded: DesiredRecord } | { recorded: null; note: string };

export function requester(env: Readonly<Record<string, string | undefined>>): string {
  return env.SUDO_USER || env.USER || env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
}

export async function recordDesiredMode(paths: RecordPaths, mode: ModeName, requestedBy: string, via: 'request' | 'boot'): Promise<DesiredResult> {
  const store = createRecordStore({ runtimeDir: paths.runtimeDir, stateDir: paths.stateDir });
  const result = await store.recordDesired(mode, requestedBy, via);
  if (result.ok) return { recorded: result.record };
  if (result.failure.code === 'permission-denied') {
    return { recorded: null, note: `this user cannot write ${paths.runtimeDir}: the controller run records ${mode} as desired when its unit starts` };
  }
  return { recorded: null, note: `the desired mode was not recorded: ${result.failure.message}` };
}
