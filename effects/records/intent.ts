// The run's intent journal, <state>/intent.json. It lives under /var/lib, not
// /run, because the question it answers — "did a run stop without recording
// an outcome?" — matters most after a power loss has wiped /run.
import { join } from 'node:path';
import { unlink } from 'node:fs/promises';
import { Intent } from '../../schemas/records.ts';
import type { Intent as IntentType } from '../../schemas/records.ts';
import { fsyncDirectory, writeJsonAtomic } from './atomic-write.ts';
import { failureFromError } from './failure.ts';
import type { WriteResult } from './failure.ts';
import { STATE_FILES } from './paths.ts';
import { readJsonFile } from './read-json.ts';
import type { UnreadableCode } from './read-json.ts';

// 0640: only the controller reads it back; the state folder's group may look.
const INTENT_MODE = 0o640;

export type IntentReadResult =
  | { status: 'ok'; intent: IntentType }
  | { status: 'none' }
  | { status: 'unreadable'; code: UnreadableCode; reason: string };

export const intentPath = (stateDir: string): string => join(stateDir, STATE_FILES.intent);

export async function writeIntent(stateDir: string, intent: IntentType): Promise<WriteResult> {
  const path = intentPath(stateDir);
  const checked = Intent.safeParse(intent);
  if (!checked.success) {
    return {
      ok: false,
      failure: { code: 'invalid-record', operation: 'write', path, errno: null, message: `refusing to write ${path}: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` },
    };
  }
  return writeJsonAtomic(path, checked.data, INTENT_MODE);
}

export async function readIntent(stateDir: string): Promise<IntentReadResult> {
  const result = await readJsonFile(intentPath(stateDir), Intent);
  if (result.status === 'ok') return { status: 'ok', intent: result.value };
  if (result.code === 'missing') return { status: 'none' };
  return result;
}

/** Called once the outcome is recorded; an absent journal is already clear. */
export async function clearIntent(stateDir: string): Promise<WriteResult> {
  const path = intentPath(stateDir);
  try {
    await unlink(path);
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return { ok: true };
    return { ok: false, failure: failureFromError(error, 'remove', path) };
  }
  return fsyncDirectory(stateDir);
}
