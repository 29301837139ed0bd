// Records the requested mode as desired (a new generation) through the
// records store. Only root can write /run/mode-controller: for anyone else
// (a member of modectl) the run records it when its unit starts
// (effects/records/desired-at-start.ts).
import type { RecordPaths } from '../../effects/records/paths.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { DesiredRecord } from '../../schemas/records.ts';
import type { BootOnce } from '../../effects/records/boot-once.ts';
import type { RecordDesiredResult } from '../../effects/records/desired.ts';

export type DesiredResult = { recorded: DesiredRecord } | { recorded: null; note: string };

export function requester(env: Readonly<Record<string, string | undefined>>): string {
  return env.SUDO_USER || env.USER || env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
}

export async function recordDesiredMode(paths: RecordPaths, mode: ModeName, requestedBy: string): Promise<DesiredResult> {
  const store = createRecordStore({ runtimeDir: paths.runtimeDir, stateDir: paths.stateDir });
  return desiredResult(paths, mode, await store.recordDesired(mode, requestedBy, 'request'));
}

/** mode-boot.service: the boot default, or why it is not recorded again in this boot. */
export async function recordBootDefault(paths: RecordPaths, mode: ModeName): Promise<DesiredResult | { skipped: string }> {
  const store = createRecordStore({ runtimeDir: paths.runtimeDir, stateDir: paths.stateDir });
  const result = await store.recordBootDefault(mode);
  if (result.ok && 'skipped' in result) return { skipped: describeSkip(result.skipped) };
  return desiredResult(paths, mode, result);
}

function describeSkip(skip: Extract<BootOnce, { action: 'skip' }>): string {
  const what = `generation ${skip.generation ?? '?'} (${skip.mode ?? '?'})`;
  return skip.reason === 'boot-default-applied' ? `it was applied in this boot already, as ${what}` : `a request of this boot, ${what}, is newer`;
}

function desiredResult(paths: RecordPaths, mode: ModeName, result: RecordDesiredResult): DesiredResult {
  if (result.ok) return { recorded: result.record };
  if (result.failure.code === 'permission-denied') {
    return { recorded: null, note: `this user cannot write ${paths.runtimeDir}: the controller run records ${mode} as desired when its unit starts` };
  }
  return { recorded: null, note: `the desired mode was not recorded: ${result.failure.message}` };
}
