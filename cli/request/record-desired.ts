// Records the requested mode as desired (a new generation) through the
// process's one record store, which the verb's entry opened and passes in.
// Only root can write /run/mode-controller: for anyone else (a member of
// modectl) the run records it when its unit starts
// (effects/records/desired-at-start.ts).
import type { RecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { DesiredRecord } from '../../schemas/records.ts';
import type { BootOnce } from '../../effects/records/boot-once.ts';
import type { RecordDesiredResult } from '../../effects/records/desired.ts';

export type DesiredResult = { recorded: DesiredRecord } | { recorded: null; note: string };

export function requester(env: Readonly<Record<string, string | undefined>>): string {
  return env.SUDO_USER || env.USER || env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
}

export async function recordDesiredMode(store: RecordStore, mode: ModeName, requestedBy: string, request: { noGrace?: boolean; force?: boolean } = {}): Promise<DesiredResult> {
  return desiredResult(store, mode, await store.recordDesired(mode, requestedBy, 'request', request));
}

/** mode-boot.service: the boot default, or why it is not recorded again in this boot. */
export async function recordBootDefault(store: RecordStore, mode: ModeName): Promise<DesiredResult | { skipped: string }> {
  const result = await store.recordBootDefault(mode);
  if (result.ok && 'skipped' in result) return { skipped: describeSkip(result.skipped) };
  return desiredResult(store, mode, result);
}

function describeSkip(skip: Extract<BootOnce, { action: 'skip' }>): string {
  const what = `generation ${skip.generation ?? '?'} (${skip.mode ?? '?'})`;
  return skip.reason === 'boot-default-applied' ? `it was applied in this boot already, as ${what}` : `a request of this boot, ${what}, is newer`;
}

function desiredResult(store: RecordStore, mode: ModeName, result: RecordDesiredResult): DesiredResult {
  if (result.ok) return { recorded: result.record };
  if (result.failure.code === 'permission-denied') {
    return { recorded: null, note: `this user cannot write ${store.runtimeDir}: the controller run records ${mode} as desired when its unit starts` };
  }
  return { recorded: null, note: `the desired mode was not recorded: ${result.failure.message}` };
}
