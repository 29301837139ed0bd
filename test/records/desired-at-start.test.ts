// A controller run claims its own instance as desired when its unit starts,
// unless desired.json holds a newer request (effects/records/desired-at-start.ts).
// The property: on any timeline of root requests (record, then start the unit)
// and unrecorded starts (a member of modectl), whatever the order in which the
// runs get to their claim, the request whose unit started last is desired.
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { desiredAtStart } from '../../effects/records/desired-at-start.ts';
import { createRecordStore, type RecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { DesiredRecord } from '../../schemas/records.ts';
import { makeDirs, type TestDirs } from './support/temp-dirs.ts';

const BOOT = 'b0070000-0000-4000-8000-000000000001';
const record = (mode: ModeName, monoMs: number | undefined, bootId: string | undefined = BOOT): DesiredRecord => ({
  schemaVersion: 1,
  mode,
  generation: 4,
  requestedAt: '2026-11-26T08:00:00.000Z',
  requestedBy: 'root',
  via: 'request',
  ...(bootId === undefined ? {} : { bootId }),
  ...(monoMs === undefined ? {} : { monoMs }),
});
const start = (mode: ModeName, startedMonoMs: number) => ({ mode, startedMonoMs, bootId: BOOT });

describe('desiredAtStart', () => {
  it('records the instance when nothing is desired', () => {
    expect(desiredAtStart(null, start('compute', 10))).toEqual({ action: 'record' });
  });
  it('records the instance over an older request for another mode (a member of modectl asks)', () => {
    expect(desiredAtStart(record('desktop', 5), start('compute', 10))).toEqual({ action: 'record' });
  });
  it('keeps a request for another mode recorded after this unit started: the newer request wins', () => {
    expect(desiredAtStart(record('desktop', 12), start('compute', 10))).toMatchObject({ action: 'keep', reason: 'newer-request' });
  });
  it('keeps the record `mode request` made just before starting this unit, with its requester', () => {
    expect(desiredAtStart(record('compute', 12), start('compute', 10))).toMatchObject({ action: 'keep', reason: 'already-desired' });
    expect(desiredAtStart(record('compute', 8), start('compute', 10))).toEqual({ action: 'refresh' });
  });
  it('treats a record of another boot, or one without a stamp, as older than any start of this boot', () => {
    expect(desiredAtStart(record('desktop', 1e9, 'another-boot'), start('compute', 10))).toEqual({ action: 'record' });
    expect(desiredAtStart(record('desktop', undefined, undefined), start('compute', 10))).toEqual({ action: 'record' });
    expect(desiredAtStart(record('desktop', 12), { ...start('compute', 10), bootId: null })).toEqual({ action: 'record' });
  });
});

// ---- the timeline property, against the real store (flock, atomic files, audit log) ----

interface Request {
  mode: ModeName;
  /** root records the mode this long before starting the unit; null: a start nobody recorded */
  recordedBeforeMs: number | null;
  /** how long the run takes from its start to its claim (node's start, a loaded machine) */
  claimAfterMs: number;
}

type Event = { at: number; order: number; kind: 'record' | 'claim'; mode: ModeName; startedAt: number };

/** Requests n = 0, 1, ... start their units 10 ms apart; records and claims fall where they may. */
function timeline(requests: Request[]): Event[] {
  const events = requests.flatMap((r, n): Event[] => {
    const startedAt = 1000 + n * 10;
    const claim: Event = { at: startedAt + r.claimAfterMs, order: 2 * n + 1, kind: 'claim', mode: r.mode, startedAt };
    return r.recordedBeforeMs === null ? [claim] : [{ at: startedAt - r.recordedBeforeMs, order: 2 * n, kind: 'record', mode: r.mode, startedAt }, claim];
  });
  return events.sort((a, b) => a.at - b.at || a.order - b.order);
}

// fresh folders for every replay: a property's runs share one test's hooks
const folders: TestDirs[] = [];
afterEach(() => {
  for (const dirs of folders.splice(0)) dirs.cleanup();
});

async function replay(requests: Request[]): Promise<{ store: RecordStore; desired: DesiredRecord | null }> {
  const dirs = makeDirs();
  folders.push(dirs);
  let now = 0;
  const bootIdPath = `${dirs.root}/boot_id`;
  await import('node:fs/promises').then((fs) => fs.writeFile(bootIdPath, `${BOOT}\n`));
  const store = createRecordStore(dirs, { bootIdPath, clock: { now: () => new Date(Date.UTC(2026, 10, 26) + now), monotonicMs: () => now } });
  for (const event of timeline(requests)) {
    now = event.at;
    const result = event.kind === 'record' ? await store.recordDesired(event.mode, 'root') : await store.claimDesiredAtStart(event.mode, event.startedAt);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
  return { store, desired: await store.readDesired() };
}

const modes = fc.constantFrom<ModeName>('desktop', 'studio-local', 'compute');
const request = fc.record({
  mode: modes,
  recordedBeforeMs: fc.option(fc.integer({ min: 0, max: 25 }), { nil: null }),
  claimAfterMs: fc.integer({ min: 1, max: 60 }),
});

describe('claimDesiredAtStart on random timelines', () => {
  test.prop([fc.array(request, { minLength: 1, maxLength: 6 })], { numRuns: 60 })('the request whose unit started last is desired', async (requests) => {
    const { store, desired } = await replay(requests);
    expect(desired?.mode).toBe(requests.at(-1)?.mode);
    // every generation handed out was audited once, in order
    const generations = (await store.readAudit()).events.filter((e) => e.event === 'desired').map((e) => e.generation);
    expect(generations).toEqual(generations.map((_, i) => i + 1));
  }, 120_000);

  it('without the refresh a slow claim would undo a newer start of the same mode', async () => {
    // compute starts at 1000 and claims at once; desktop starts at 1010 but claims late (1070);
    // compute starts again at 1020: desired.json names compute already, from the older start
    const requests: Request[] = [
      { mode: 'compute', recordedBeforeMs: null, claimAfterMs: 1 },
      { mode: 'desktop', recordedBeforeMs: null, claimAfterMs: 60 },
      { mode: 'compute', recordedBeforeMs: null, claimAfterMs: 1 },
    ];
    const { desired } = await replay(requests);
    expect(desired).toMatchObject({ mode: 'compute', generation: 1, monoMs: 1020, via: 'unit-start', requestedBy: null });
  });

  it('keeps the requester and the generation of `mode request` when its own run claims', async () => {
    const { desired, store } = await replay([{ mode: 'studio-local', recordedBeforeMs: 5, claimAfterMs: 30 }]);
    expect(desired).toMatchObject({ mode: 'studio-local', generation: 1, requestedBy: 'root', via: 'request' });
    expect((await store.readAudit()).events.map((e) => [e.event, e.target])).toEqual([['desired', 'studio-local']]);
  });

  it('stamps a claimed record with the start, not with the moment the run got to the claim', async () => {
    const { desired, store } = await replay([
      { mode: 'desktop', recordedBeforeMs: 5, claimAfterMs: 1 },
      { mode: 'compute', recordedBeforeMs: null, claimAfterMs: 40 },
    ]);
    expect(desired).toMatchObject({ mode: 'compute', generation: 2, monoMs: 1010, bootId: BOOT, requestedAt: new Date(Date.UTC(2026, 10, 26) + 1010).toISOString() });
    const audit = (await store.readAudit()).events.at(-1);
    expect(audit).toMatchObject({ event: 'desired', target: 'compute', generation: 2, monoMs: 1050, detail: { requestedBy: null, via: 'unit-start', previousMode: 'desktop' } });
  });
});
