// The desired mode: generations under the short desired lock, newest wins,
// across real processes, and independent of the long controller lock.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordStore } from '../../effects/records/store.ts';
import { nodeScript, runToEnd, startUntil } from './support/child.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('recordDesired', () => {
  it('bumps the generation on each request and audits it', async () => {
    const store = createRecordStore(dirs);
    const first = await store.recordDesired('compute', 'alice');
    const second = await store.recordDesired('desktop', 'bob');
    expect(first).toMatchObject({ ok: true, record: { mode: 'compute', generation: 1, requestedBy: 'alice' }, previous: null, audit: { ok: true } });
    expect(second).toMatchObject({ ok: true, record: { mode: 'desktop', generation: 2 }, previous: { mode: 'compute', generation: 1 } });
    expect(await store.readDesired()).toMatchObject({ mode: 'desktop', generation: 2 });
    const audit = await store.readAudit();
    expect(audit.events.map((event) => [event.event, event.target, event.generation])).toEqual([
      ['desired', 'compute', 1],
      ['desired', 'desktop', 2],
    ]);
    expect(audit.events[1]?.detail).toEqual({ requestedBy: 'bob', via: 'request', previousMode: 'compute' });
  });

  it('gives two requests 100 ms apart distinct generations, and the newest wins', async () => {
    const first = runToEnd(nodeScript('record-desired.ts', dirs.runtimeDir, dirs.stateDir, 'desktop', 'first'));
    await sleep(100);
    const second = runToEnd(nodeScript('record-desired.ts', dirs.runtimeDir, dirs.stateDir, 'compute', 'second'));
    const results = [await first, await second].map((finished) => {
      expect(finished.code, finished.stderr).toBe(0);
      return JSON.parse(finished.stdout) as { ok: boolean; generation: number; mode: string };
    });
    const generations = results.map((result) => result.generation);
    expect(new Set(generations).size).toBe(2);
    const newest = results.reduce((a, b) => (a.generation > b.generation ? a : b));
    expect(await createRecordStore(dirs).readDesired()).toMatchObject({ mode: newest.mode, generation: newest.generation });
  });

  it('hands out 1..N exactly once to N concurrent requesting processes', async () => {
    const modes = ['desktop', 'compute', 'studio-local', 'desktop'] as const;
    const finished = await Promise.all(modes.map((mode, n) => runToEnd(nodeScript('record-desired.ts', dirs.runtimeDir, dirs.stateDir, mode, `p${n}`))));
    const generations = finished.map((result) => (JSON.parse(result.stdout) as { generation: number }).generation).sort((a, b) => a - b);
    expect(generations).toEqual([1, 2, 3, 4]);
    const audit = await createRecordStore(dirs).readAudit();
    expect(audit.events.map((event) => event.generation)).toEqual([1, 2, 3, 4]);
    expect(audit.events.map((event) => event.seq)).toEqual([0, 1, 2, 3]);
  });

  it('is recorded while a transition holds the controller lock', async () => {
    const holder = await startUntil(nodeScript('hold-lock.ts', dirs.runtimeDir), /"acquired":true/);
    try {
      const result = await createRecordStore(dirs).recordDesired('compute', null);
      expect(result).toMatchObject({ ok: true, record: { generation: 1 } });
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('keeps generations rising after /run was wiped (reboot), from the audit log', async () => {
    const store = createRecordStore(dirs);
    await store.recordDesired('compute', null);
    await store.recordDesired('desktop', null);
    rmSync(join(dirs.runtimeDir, 'desired.json'));
    expect(await store.readDesired()).toBeNull();
    expect(await store.recordDesired('compute', null)).toMatchObject({ ok: true, record: { generation: 3 } });
  });

  it('treats an unreadable desired.json as absent and still moves forward', async () => {
    const store = createRecordStore(dirs);
    await store.recordDesired('compute', null);
    writeFileSync(join(dirs.runtimeDir, 'desired.json'), '{"schemaVersion":1,"mode":"comp');
    expect(await store.readDesired()).toBeNull();
    expect(await store.recordDesired('desktop', null)).toMatchObject({ ok: true, record: { mode: 'desktop', generation: 2 } });
  });

  it('rejects an unknown mode with the list of modes, writing nothing', async () => {
    const result = await createRecordStore(dirs).recordDesired('gamer' as 'desktop', null);
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-record' } });
    if (!result.ok) expect(result.failure.message).toBe('unknown mode "gamer"; choose one of desktop, studio-local, compute');
    expect(await createRecordStore(dirs).readDesired()).toBeNull();
  });
});
