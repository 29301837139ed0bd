// What every doctor check yields, in its own file so that the families of
// checks (checks.ts, model-checks.ts) can share it without importing each other.
import type { Evidence } from '../../schemas/records.ts';

// warn: a finding that does not stop a mode from being reached or proven, but
// that a person should know (a rival manager touching what Dubnium touches);
// it leaves the exit status at 0, unlike fail and unknown.
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}
