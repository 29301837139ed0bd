// Which writes fsync what, counted with strace on a real write: the state
// folder's records survive a power cut (file and, where an entry changed, the
// folder synced), the runtime folder's are written without a sync (tmpfs:
// nothing to sync, nothing left after a power cut), and an append to an
// existing audit log syncs the file alone.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeIntent } from '../../effects/records/intent.ts';
import { intent } from './support/sample-records.ts';
import { nodeScript, runToEnd } from './support/child.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

const STRACE = ['/usr/bin/strace', '/bin/strace'].find((path) => existsSync(path)) ?? null;

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

/** The files and folders one write synced, temp names folded to `<name>.tmp-*`, folders of the test as `run/` and `state/`. */
async function syncsOf(write: string): Promise<string[]> {
  const traceDir = mkdtempSync(join(tmpdir(), 'dubnium-strace-'));
  try {
    const out = join(traceDir, 'trace.txt');
    const done = await runToEnd([STRACE!, '-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,sync_file_range,syncfs', '-o', out, ...nodeScript('one-write.ts', write, dirs.runtimeDir, dirs.stateDir)]);
    expect(done.code, done.stderr).toBe(0);
    const synced: string[] = [];
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const call = /^(?:\d+\s+)?(\w+)\(\d+<([^>]*)>.*\)\s+=\s+0$/.exec(line);
      if (!call) continue;
      const path = (call[2] as string).replace(dirs.root, '').replace(/\.tmp-\d+-[0-9a-f]+$/, '.tmp-*');
      synced.push(`${call[1]} ${path}`);
    }
    return synced.sort();
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}

describe.skipIf(STRACE === null)('what a write syncs (strace)', () => {
  it('a runtime record and the lock holder note: nothing (tmpfs)', async () => {
    expect(await syncsOf('runtime-record')).toEqual([]);
    expect(await syncsOf('lock-note')).toEqual([]);
  });

  it('the intent: its temp file before the rename, the state folder after it', async () => {
    expect(await syncsOf('intent')).toEqual(['fsync /state', 'fsync /state/intent.json.tmp-*']);
  });

  it('clearing the intent: the state folder, so the unlink survives and no finished run is "recovered" after a power cut', async () => {
    const written = await writeIntent(dirs.stateDir, intent());
    expect(written.ok).toBe(true);
    expect(await syncsOf('clear-intent')).toEqual(['fsync /state']);
  });

  it('an append that creates events.jsonl: the file and the folder; one to an existing log: the file only', async () => {
    expect(await syncsOf('append')).toEqual(['fsync /state', 'fsync /state/events.jsonl']);
    expect(await syncsOf('append')).toEqual(['fsync /state/events.jsonl']);
    expect(readFileSync(join(dirs.stateDir, 'events.jsonl'), 'utf8')).toBe('{"x":1}\n{"x":1}\n');
  });

  it('an append to an empty events.jsonl that exists syncs the file only (its folder entry is old)', async () => {
    writeFileSync(join(dirs.stateDir, 'events.jsonl'), '');
    expect(await syncsOf('append')).toEqual(['fsync /state/events.jsonl']);
  });
});
