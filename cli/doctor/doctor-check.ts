// What every doctor check yields, in its own file so that the families of
// checks (checks.ts, model-checks.ts) can share it without importing each other.
import type { Evidence } from '../../schemas/records.ts';

export type CheckStatus = 'pass' | 'fail' | 'unknown';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}
