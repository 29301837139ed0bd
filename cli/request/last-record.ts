// last-transition.json as the follower of a request reads it: often (on
// every change in the audit log until the run's record is there), on a machine
// whose controller is busy. A record is replaced by rename, so the same inode,
// size and mtime mean the same record: it is read and validated again only
// when one of them changed.
import { stat } from 'node:fs/promises';
import type { RecordStore } from '../../effects/records/store.ts';
import type { TransitionRecord } from '../../schemas/records.ts';

export function lastRecordReader(store: RecordStore, path: string): () => Promise<TransitionRecord | null> {
  let cached: { key: string; record: TransitionRecord | null } | null = null;
  return async () => {
    // taken before the read: a record renamed in between is read now and read again next time, never missed
    const key = await stat(path, { bigint: true }).then(
      (s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`,
      () => null,
    );
    if (key !== null && cached?.key === key) return cached.record;
    const read = await store.readRuntime('lastTransition');
    const record = read.status === 'ok' ? read.value : null;
    cached = key === null ? null : { key, record };
    return record;
  };
}
