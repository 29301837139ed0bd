// The audit lock as a run keeps it (audit-lock.ts): one flock(1) for a burst
// of appends while the run holds the controller lock, let go after a short
// idle and at most maxMs after the take, so another writer never waits long;
// one take per append for everyone else. flock(1) runs through a wrapper that
// counts its starts, and a second process probes the lock with `flock -n`.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLock, RUN_KEEP } from '../../effects/records/audit-lock.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { AuditInput } from '../../effects/records/audit-log.ts';
import { runToEnd } from './support/child.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
let flockLog: string;
let flockPath: string;
beforeEach(() => {
  dirs = makeDirs();
  flockLog = join(dirs.root, 'flock.log');
  flockPath = join(dirs.root, 'counting-flock');
  writeFileSync(flockLog, '');
  writeFileSync(flockPath, `#!/bin/sh\necho "$*" >> '${flockLog}'\nexec flock "$@"\n`);
  chmodSync(flockPath, 0o755);
});
afterEach(() => dirs.cleanup());

const flockStarts = (): number => readFileSync(flockLog, 'utf8').split('\n').filter(Boolean).length;
const eventsLock = (): string => join(dirs.stateDir, 'events.lock');
/** Whether another process could take the audit lock right now. */
const freeForOthers = async (): Promise<boolean> => (await runToEnd(['flock', '--nonblock', eventsLock(), 'true'])).code === 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const event = (n: number): AuditInput => ({ runId: 'run-1', event: 'step', target: 'studio-local', generation: 1, outcome: null, reason: `apply step-${n}: ok` });
const seqs = (): number[] => readFileSync(join(dirs.stateDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq);

describe('the audit lock of a run', () => {
  it('is taken once for appends that follow each other while the controller lock is held, and let go with it', async () => {
    const store = createRecordStore(dirs, { flockPath });
    const attempt = await store.tryLock();
    if (!attempt.acquired) throw new Error('expected the controller lock');
    expect(flockStarts()).toBe(1);
    for (let n = 0; n < 5; n += 1) await store.appendAudit(event(n));
    expect(flockStarts()).toBe(2);
    expect(await freeForOthers()).toBe(false);
    await attempt.release();
    expect(await freeForOthers()).toBe(true);
    expect(seqs()).toEqual([0, 1, 2, 3, 4]);
  });

  it('is let go after idleMs without an append, though the run goes on', async () => {
    const store = createRecordStore(dirs, { flockPath });
    const attempt = await store.tryLock();
    if (!attempt.acquired) throw new Error('expected the controller lock');
    try {
      await store.appendAudit(event(0));
      await sleep(RUN_KEEP.idleMs + 150);
      expect(await freeForOthers()).toBe(true);
      await store.appendAudit(event(1));
      expect(flockStarts()).toBe(3);
    } finally {
      await attempt.release();
    }
  });

  it('keeps concurrent appends of the process apart: each its own seq', async () => {
    const store = createRecordStore(dirs, { flockPath });
    const attempt = await store.tryLock();
    if (!attempt.acquired) throw new Error('expected the controller lock');
    await Promise.all(Array.from({ length: 8 }, (_, n) => store.appendAudit(event(n))));
    await attempt.release();
    expect(seqs()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(flockStarts()).toBe(2);
  });

  it('makes another writer wait at most about maxMs while the run appends without pause', async () => {
    const store = createRecordStore(dirs, { flockPath });
    const attempt = await store.tryLock();
    if (!attempt.acquired) throw new Error('expected the controller lock');
    try {
      await store.appendAudit(event(0));
      const started = performance.now();
      const other = runToEnd(['flock', '--wait', '10', eventsLock(), 'true']).then((done) => ({ ...done, waitedMs: performance.now() - started }));
      let stop = false;
      const appending = (async () => {
        for (let n = 1; !stop; n += 1) {
          await store.appendAudit(event(n));
          await sleep(20);
        }
      })();
      const waited = await other;
      stop = true;
      await appending;
      expect(waited.code).toBe(0);
      // without the bound it would wait for as long as the appends go on
      expect(waited.waitedMs).toBeLessThan(RUN_KEEP.maxMs + 1500);
      // and the run goes on: its next append takes the lock anew
      await store.appendAudit(event(-1));
      expect(flockStarts()).toBeGreaterThanOrEqual(3);
      console.log(`another writer waited ${Math.round(waited.waitedMs)} ms for the audit lock while the run appended every 20 ms`);
    } finally {
      await attempt.release();
    }
  }, 30_000);

  it('is taken anew once held for maxMs, and let go at once without a keep policy', async () => {
    let clock = 0;
    const nothing = (): Promise<void> => Promise.resolve();
    const lock = createAuditLock({ stateDir: dirs.stateDir, flockPath, waitMs: 1000 }, () => clock);
    const keep = { idleMs: 10_000, maxMs: 100 };
    await lock.withLock(nothing, keep);
    clock = 50;
    await lock.withLock(nothing, keep);
    expect(flockStarts()).toBe(1);
    clock = 150;
    await lock.withLock(nothing, keep);
    expect(flockStarts()).toBe(2);
    expect(await freeForOthers()).toBe(false);
    await lock.withLock(nothing, null);
    expect(flockStarts()).toBe(3);
    expect(await freeForOthers()).toBe(true);
    await lock.release();
  });
  it('lets go as soon as a turn that was working when release() came ends, and release() does not wait for it', async () => {
    const lock = createAuditLock({ stateDir: dirs.stateDir, flockPath, waitMs: 1000 });
    let finish = (): void => undefined;
    const stuck = new Promise<void>((resolve) => (finish = resolve));
    const turn = lock.withLock(() => stuck, RUN_KEEP);
    await sleep(100);
    expect(await freeForOthers()).toBe(false);
    await lock.release();
    expect(await freeForOthers()).toBe(false);
    finish();
    expect((await turn).ok).toBe(true);
    expect(await freeForOthers()).toBe(true);
  });
});

describe('the audit lock of anyone else', () => {
  it('is taken for each append and let go at once', async () => {
    const store = createRecordStore(dirs, { flockPath });
    for (let n = 0; n < 3; n += 1) {
      await store.appendAudit(event(n));
      expect(await freeForOthers()).toBe(true);
    }
    expect(flockStarts()).toBe(3);
  });

  it('is the one lock a request takes: desired.json and its audit event under one flock(1)', async () => {
    const store = createRecordStore(dirs, { flockPath });
    const result = await store.recordDesired('studio-local', 'alice');
    expect(result.ok && result.audit.ok).toBe(true);
    expect(flockStarts()).toBe(1);
    expect(readFileSync(flockLog, 'utf8')).toContain('--wait');
    expect(await freeForOthers()).toBe(true);
  });
});
