// Expected IO failures of the records layer as values. A full disk or a
// read-only /run is something the controller must survive and report, so it
// never escapes as an exception; callers switch on `code`.
import { describeError } from '../../shared/describe-error.ts';

export type RecordsFailureCode =
  | 'read-only'
  | 'permission-denied'
  | 'no-space'
  | 'quota-exceeded'
  | 'io-error'
  | 'missing-directory'
  | 'short-write'
  | 'tool-missing'
  | 'tool-failed'
  | 'lock-timeout'
  | 'invalid-record'
  | 'unexpected';

export interface RecordsFailure {
  code: RecordsFailureCode;
  /** what we were doing: "open", "write", "fsync", "rename", "flock", ... */
  operation: string;
  path: string;
  errno: string | null;
  message: string;
}

export type WriteResult = { ok: true } | { ok: false; failure: RecordsFailure };

const BY_ERRNO: Record<string, { code: RecordsFailureCode; hint: string }> = {
  EROFS: { code: 'read-only', hint: 'the file system is read-only; the controller needs this folder writable' },
  EACCES: { code: 'permission-denied', hint: 'permission denied; run the controller as root (its unit does) or fix the folder owner and mode' },
  EPERM: { code: 'permission-denied', hint: 'operation not permitted; run the controller as root (its unit does) or fix the folder owner and mode' },
  ENOSPC: { code: 'no-space', hint: 'the file system is full; free space on it' },
  EDQUOT: { code: 'quota-exceeded', hint: 'the disk quota is exhausted; raise the quota or free space' },
  EIO: { code: 'io-error', hint: 'the device reported an I/O error; check the disk (dmesg)' },
  ENOENT: { code: 'missing-directory', hint: 'the folder does not exist; systemd creates it from RuntimeDirectory=/StateDirectory=, tests must create it' },
  ENOTDIR: { code: 'missing-directory', hint: 'a path component is not a folder' },
};

const errnoOf = (error: unknown): string | null => {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return null;
};

/** Turns a thrown fs error into a failure that names the file, the operation and what to do. */
export function failureFromError(error: unknown, operation: string, path: string): RecordsFailure {
  const errno = errnoOf(error);
  const known = errno === null ? undefined : BY_ERRNO[errno];
  const detail = describeError(error);
  if (known) {
    return { code: known.code, operation, path, errno, message: `cannot ${operation} ${path}: ${known.hint} (${errno})` };
  }
  return { code: 'unexpected', operation, path, errno, message: `cannot ${operation} ${path}: ${detail}` };
}

/** A failure turned into an Error, for the Host port whose record methods return Promise<void>. */
export class RecordsError extends Error {
  readonly failure: RecordsFailure;
  constructor(failure: RecordsFailure) {
    super(failure.message);
    this.name = 'RecordsError';
    this.failure = failure;
  }
}
