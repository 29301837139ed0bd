// The record store as the Host port sees it, plus the failures a real host
// can throw at it: a read-only or unwritable runtime folder.
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Host } from '../../machines/host.ts';
import { RecordsError } from '../../effects/records/failure.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import { guardReport, intent, observation, transitionRecord } from './support/sample-records.ts';
import { nodeScript, runToEnd, startUntil } from './support/child.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

const BOOT_ID = '0b5c3e4e-0000-4000-8000-000000000001';
const fixedClock = { now: () => new Date(Date.UTC(2025, 5, 1)), monotonicMs: () => 1234.5 };

function storeFor(extra: Parameters<typeof createRecordStore>[1] = {}) {
  const bootIdPath = join(dirs.root, 'boot_id');
  writeFileSync(bootIdPath, `${BOOT_ID}\n`);
  return createRecordStore(dirs, { bootIdPath, clock: fixedClock, ...extra });
}

const schemaFile = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../schemas/json/${name}.schema.json`, import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is not a dependency; this is the RFC 3339 shape zod's iso.datetime() writes.
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
const validators = new Map<string, ValidateFunction>();
const validatorFor = (name: string): ValidateFunction => {
  const known = validators.get(name);
  if (known) return known;
  const compiled = ajv.compile(schemaFile(name) as object);
  validators.set(name, compiled);
  return compiled;
};

describe('createRecordStore', () => {
  it('provides the record methods of the Host port', () => {
    const port: Pick<Host, 'lock' | 'readDesired' | 'readIntent' | 'writeIntent' | 'clearIntent' | 'writeRecord' | 'appendAudit' | 'bootId'> = storeFor();
    expect(Object.keys(port)).toEqual(expect.arrayContaining(['lock', 'readDesired', 'readIntent', 'writeIntent', 'clearIntent', 'writeRecord', 'appendAudit', 'bootId']));
  });

  it('refuses relative folders', () => {
    expect(() => createRecordStore({ runtimeDir: 'run', stateDir: dirs.stateDir })).toThrow(/runtimeDir must be an absolute path/);
  });

  it('sweeps stray temp files under the lock, sparing those the desired lock guards', async () => {
    writeFileSync(join(dirs.runtimeDir, 'last-transition.json.tmp-99-abcd'), '{"trunc');
    writeFileSync(join(dirs.runtimeDir, 'desired.json.tmp-98-abcd'), '{"trunc');
    writeFileSync(join(dirs.stateDir, 'intent.json.tmp-97-abcd'), '{"trunc');
    const attempt = await storeFor().tryLock();
    expect(attempt.acquired).toBe(true);
    if (!attempt.acquired) return;
    expect(attempt.swept?.removed.sort()).toEqual(['intent.json.tmp-97-abcd', 'last-transition.json.tmp-99-abcd']);
    expect(readdirSync(dirs.runtimeDir).sort()).toEqual(['desired.json.tmp-98-abcd', 'lock', 'lock.holder.json']);
    await attempt.release();
  });

  it('answers busy with the holder while another process holds the lock', async () => {
    const holder = await startUntil(nodeScript('hold-lock.ts', dirs.runtimeDir, 'run-7'), /"acquired":true/);
    try {
      const result = await storeFor().lock();
      expect(result.acquired).toBe(false);
      if (!result.acquired) expect(result.holder).toMatch(new RegExp(`^pid ${holder.child.pid}, run run-7, since `));
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('runs the record half of one transition, and every file validates against its published JSON Schema', async () => {
    const mirrored: string[] = [];
    const store = storeFor({ runId: 'run-1', mirror: (line) => mirrored.push(line) });
    const lock = await store.lock();
    expect(lock.acquired).toBe(true);
    expect(await store.bootId()).toBe(BOOT_ID);
    await store.recordDesired('compute', 'alice');
    const desired = await store.readDesired();
    expect(desired).toMatchObject({ mode: 'compute', generation: 1 });
    await store.writeIntent(intent(1, 'start'));
    await store.appendAudit({ runId: 'run-1', event: 'intent', target: 'compute', generation: 1, outcome: null, reason: null });
    await store.writeIntent(intent(1, 'stop-display-manager'));
    expect(await store.readIntent()).toEqual(intent(1, 'stop-display-manager'));
    expect((await store.writeObservation(observation(1))).ok).toBe(true);
    await store.writeRecord(transitionRecord(1), guardReport(1));
    await store.appendAudit({ runId: 'run-1', event: 'outcome', target: 'compute', generation: 1, outcome: 'succeeded', reason: null, detail: { steps: 1 } });
    await store.clearIntent();
    expect(await store.readIntent()).toBeNull();
    if (lock.acquired) await lock.release();

    const audit = await store.readAudit();
    expect(audit.skipped).toBe(0);
    expect(audit.events.map((event) => [event.seq, event.event])).toEqual([[0, 'desired'], [1, 'intent'], [2, 'outcome']]);
    expect(audit.events[2]).toMatchObject({ bootId: BOOT_ID, wall: '2025-06-01T00:00:00.000Z', monoMs: 1234.5 });
    expect(mirrored.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([0, 1, 2]);

    const checks: [string, unknown][] = [
      ['desired-record', JSON.parse(readFileSync(join(dirs.runtimeDir, 'desired.json'), 'utf8'))],
      ['transition-record', JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-transition.json'), 'utf8'))],
      ['guard-report', JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-guards.json'), 'utf8'))],
      ['observation-record', JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-observation.json'), 'utf8'))],
      ['intent', intent(1)],
      ...readFileSync(join(dirs.stateDir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((line): [string, unknown] => ['audit-event', JSON.parse(line)]),
    ];
    for (const [name, value] of checks) {
      const validate = validatorFor(name);
      expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('keeps the previous guard report when a run has none', async () => {
    const store = storeFor();
    await store.writeRecord(transitionRecord(1), guardReport(1));
    await store.writeRecord({ ...transitionRecord(2), outcome: 'busy', guards: null }, null);
    expect(await store.readRuntime('lastGuards')).toMatchObject({ status: 'ok', value: { evaluatedAt: guardReport(1).evaluatedAt } });
    expect(await store.readRuntime('lastTransition')).toMatchObject({ status: 'ok', value: { outcome: 'busy' } });
  });

  it('rejects with a RecordsError carrying the typed failure when a write fails', async () => {
    const store = createRecordStore({ runtimeDir: join(dirs.root, 'gone'), stateDir: join(dirs.root, 'gone-too') });
    await expect(store.writeRecord(transitionRecord(1), null)).rejects.toBeInstanceOf(RecordsError);
    await expect(store.writeIntent(intent(1))).rejects.toMatchObject({ failure: { code: 'missing-directory' } });
    await expect(store.appendAudit({ runId: null, event: 'rejected', target: null, generation: null, outcome: 'rejected', reason: 'x' })).rejects.toMatchObject({
      failure: { code: 'missing-directory' },
    });
    await expect(store.lock()).rejects.toMatchObject({ failure: { code: 'missing-directory', operation: 'open lock file' } });
    expect(await store.readDesired()).toBeNull();
    expect(await store.readIntent()).toBeNull();
    expect(await store.readAudit()).toMatchObject({ events: [], skipped: 0 });
  });
});

interface UnwritableReport {
  tryLock: string | { code: string; message: string };
  lock: { recordsError?: string; message?: string };
  desired: { ok: boolean; failure?: { code: string } };
  runtimeEntries: string[];
}

describe('an unwritable runtime folder fails before any action', () => {
  it.each([
    ['fresh', false],
    ['with a lock file left from before', true],
  ])('read-only bind mount (EROFS), %s', async (_name, preexisting) => {
    if (preexisting) writeFileSync(join(dirs.runtimeDir, 'lock'), '');
    const result = await runToEnd(nodeScript('unwritable-runtime.ts', dirs.runtimeDir, dirs.stateDir), {
      prefix: ['bwrap', '--dev-bind', '/', '/', '--ro-bind', dirs.runtimeDir, dirs.runtimeDir, '--die-with-parent', '--'],
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as UnwritableReport;
    expect(report.tryLock).toMatchObject({ code: 'read-only', operation: 'open lock file' });
    expect(report.lock).toMatchObject({ recordsError: 'read-only' });
    expect(report.lock.message).toMatch(/read-only.*EROFS/);
    expect(report.desired).toMatchObject({ ok: false, failure: { code: 'read-only' } });
    expect(report.runtimeEntries).toEqual(preexisting ? ['lock'] : []);
  });

  it('a user without write permission (EACCES)', async () => {
    chmodSync(dirs.root, 0o755);
    chmodSync(dirs.runtimeDir, 0o755);
    mkdirSync(join(dirs.root, 'home'));
    const result = await runToEnd(nodeScript('unwritable-runtime.ts', dirs.runtimeDir, dirs.stateDir), {
      prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'],
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as UnwritableReport;
    expect(report.tryLock).toMatchObject({ code: 'permission-denied' });
    expect(report.lock).toMatchObject({ recordsError: 'permission-denied' });
    expect(report.desired).toMatchObject({ ok: false, failure: { code: 'permission-denied' } });
    expect(report.runtimeEntries).toEqual([]);
  });
});
