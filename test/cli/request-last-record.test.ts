// The follower's reader of last-transition.json: the same file (inode, size,
// mtime) is not read and validated again; a record renamed in, or one that
// appears or goes, is.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastRecordReader } from '../../cli/request/last-record.ts';
import type { RecordStore } from '../../effects/records/store.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
import { transition } from './support/records.ts';

describe('lastRecordReader', () => {
  let dir: string;
  let path: string;
  let reads: number;
  let store: RecordStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dubnium-last-record-'));
    path = join(dir, 'last-transition.json');
    reads = 0;
    // stands in for the store: the record is whatever the file says now
    store = {
      readRuntime: () => {
        reads += 1;
        try {
          return Promise.resolve({ status: 'ok', value: JSON.parse(readFileSync(path, 'utf8')) as TransitionRecord });
        } catch {
          return Promise.resolve({ status: 'unreadable', code: 'missing', reason: `${path} does not exist` });
        }
      },
    } as unknown as RecordStore;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const replace = (record: TransitionRecord): void => {
    writeFileSync(join(dir, '.tmp'), JSON.stringify(record));
    renameSync(join(dir, '.tmp'), path);
  };

  it('reads the record once while the file stays the same, and again once another is renamed in', async () => {
    const read = lastRecordReader(store, path);
    replace(transition('desktop', 3, 'succeeded'));
    expect((await read())?.generation).toBe(3);
    expect((await read())?.generation).toBe(3);
    expect(reads).toBe(1);
    replace(transition('compute', 4, 'blocked'));
    expect(await read()).toMatchObject({ generation: 4, outcome: 'blocked' });
    expect(reads).toBe(2);
  });

  it('reads each time while there is no record, and finds the first one written', async () => {
    const read = lastRecordReader(store, path);
    expect(await read()).toBeNull();
    expect(await read()).toBeNull();
    expect(reads).toBe(2);
    replace(transition('compute', 4, 'succeeded'));
    expect((await read())?.generation).toBe(4);
  });
});
