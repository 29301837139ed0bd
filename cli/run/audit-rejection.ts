// A run refused before it could start (unknown mode, invalid config) still
// leaves a trace: one audit `rejected` event naming what was refused and why,
// mirrored to stdout for the journal. Best effort: the refusal itself (its
// exit status and message) never depends on the audit log being writable.
import { createRecordStore } from '../../effects/records/store.ts';
import { ModeName } from '../../schemas/names.ts';
import { describeError } from '../../shared/describe-error.ts';

export interface Rejection {
  runtimeDir: string;
  stateDir: string;
  /** the instance as given (%i), possibly not a mode */
  requested: string | undefined;
  reason: string;
  out: (text: string) => void;
}

export async function auditRejection(rejection: Rejection): Promise<void> {
  const mode = ModeName.safeParse(rejection.requested);
  try {
    const store = createRecordStore({ runtimeDir: rejection.runtimeDir, stateDir: rejection.stateDir });
    const written = await store.appendAuditEvent({
      runId: null,
      event: 'rejected',
      target: mode.success ? mode.data : null,
      generation: null,
      outcome: 'rejected',
      reason: rejection.reason,
      detail: { requested: rejection.requested ?? null },
    });
    rejection.out(written.ok ? `audit ${written.line}\n` : `audit-unwritten ${JSON.stringify({ reason: written.failure.message, event: 'rejected' })}\n`);
  } catch (error) {
    rejection.out(`audit-unwritten ${JSON.stringify({ reason: describeError(error), event: 'rejected' })}\n`);
  }
}
