// Publishing to the fleet after a run: every adapter is asked whatever the
// others answer; a failure, a throw or a hang becomes a journal line, never
// an exception; and the metrics adapter's file lands whole, readable by
// node_exporter, in the folder it is given, or says what to do.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetAdapters } from '../../effects/fleet/adapters.ts';
import { metricsAdapter } from '../../effects/fleet/metrics/adapter.ts';
import type { FleetPublisher, FleetResult } from '../../effects/fleet/port.ts';
import { publishState, publishToFleet, type SnapshotSource } from '../../effects/fleet/publish-all.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import { workstationConfig } from '../engine/support/config.ts';
import { snapshot } from './snapshot.ts';

const publisher = (name: string, publish: FleetPublisher['publish'], readsAudit = true): FleetPublisher => ({ name, readsAudit, publish });
const ok: FleetResult<null> = { kind: 'ok', value: null, evidence: [] };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dubnium-fleet-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('publishToFleet', () => {
  it('asks every adapter in order and journals each one that did not publish', async () => {
    const asked: string[] = [];
    const lines: string[] = [];
    const adapters = [
      publisher('throws', () => (asked.push('throws'), Promise.reject(new Error('boom')))),
      publisher('down', () => (asked.push('down'), Promise.resolve({ kind: 'unreachable', reason: 'slurmctld does not answer', evidence: [] }))),
      publisher('fine', () => (asked.push('fine'), Promise.resolve(ok))),
    ];
    const reports = await publishToFleet(adapters, snapshot(), { report: (line) => lines.push(line) });
    expect(asked).toEqual(['throws', 'down', 'fine']);
    expect(reports.map((r) => [r.adapter, r.result.kind])).toEqual([
      ['throws', 'failed'],
      ['down', 'unreachable'],
      ['fine', 'ok'],
    ]);
    expect(lines.map((line) => JSON.parse(line.replace(/^fleet-unpublished /, '')) as unknown)).toEqual([
      { adapter: 'throws', trigger: 'run', kind: 'failed', reason: 'the throws adapter threw: boom' },
      { adapter: 'down', trigger: 'run', kind: 'unreachable', reason: 'slurmctld does not answer' },
    ]);
    expect(lines.every((line) => line.startsWith('fleet-unpublished ') && line.endsWith('\n'))).toBe(true);
  });

  it('stops waiting for an adapter that hangs, at the deadline', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const reports = await publishToFleet([publisher('hangs', () => new Promise(() => undefined))], snapshot(), { report: (line) => lines.push(line), timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(reports[0]?.result).toEqual({ kind: 'failed', reason: 'the hangs adapter did not publish within 50 ms', evidence: [] });
    expect(lines).toHaveLength(1);
  });
});

describe('publishState', () => {
  it('reads no record when no adapter is configured', async () => {
    const touched: string[] = [];
    const source: SnapshotSource = {
      readDesired: () => (touched.push('desired'), Promise.resolve(null)),
      readRuntime: () => (touched.push('runtime'), Promise.resolve({ status: 'unreadable', code: 'missing', reason: 'x' })),
      readAudit: () => (touched.push('audit'), Promise.resolve({ events: [], skipped: 0, problems: [], files: [] })),
    };
    expect(await publishState([], source, 'run', null, { report: () => undefined })).toEqual([]);
    expect(touched).toEqual([]);
  });

  it('hands every adapter the records as the store reads them', async () => {
    const runtimeDir = join(dir, 'run');
    const stateDir = join(dir, 'state');
    await mkdir(runtimeDir);
    await mkdir(stateDir);
    const store = createRecordStore({ runtimeDir, stateDir });
    await store.recordDesired('compute', 'alice');
    const seen: unknown[] = [];
    await publishState([publisher('spy', (s) => (seen.push([s.trigger, s.record, s.desired?.mode, s.desired?.generation, s.audit?.events.map((e) => e.event)]), Promise.resolve(ok)))], store, 'boot', null, {
      report: () => undefined,
    });
    expect(seen).toEqual([['boot', null, 'compute', 1, ['desired']]]);
  });

  it('reads the audit log only when an adapter configured reads it: the Slurm adapter alone never has it read', async () => {
    const touched: string[] = [];
    const source: SnapshotSource = {
      readDesired: () => (touched.push('desired'), Promise.resolve(null)),
      readRuntime: (name) => (touched.push(name), Promise.resolve({ status: 'unreadable', code: 'missing', reason: 'x' })),
      readAudit: () => (touched.push('audit'), Promise.resolve({ events: [], skipped: 0, problems: [], files: [] })),
    };
    const audits: unknown[] = [];
    const spy = (readsAudit: boolean) => publisher(readsAudit ? 'counts' : 'features', (s) => (audits.push(s.audit), Promise.resolve(ok)), readsAudit);
    await publishState([spy(false)], source, 'run', null, { report: () => undefined });
    expect(touched).toEqual(['desired', 'lastTransition', 'lastObservation']);
    expect(audits).toEqual([null]);
    touched.length = 0;
    audits.length = 0;
    await publishState([spy(false), spy(true)], source, 'run', null, { report: () => undefined });
    expect(touched.filter((name) => name === 'audit')).toEqual(['audit']);
    expect(audits).toEqual([{ events: [], skipped: 0, problems: [], files: [] }, { events: [], skipped: 0, problems: [], files: [] }]);
    expect(fleetAdapters({ ...workstationConfig, slurm: { ...workstationConfig.slurm, enable: true }, metrics: { ...workstationConfig.metrics, enable: true } }).map((a) => [a.name, a.readsAudit])).toEqual([
      ['metrics', true],
      ['slurm', false],
    ]);
  });

  it('answers a reader that throws with a failed report for every adapter, never a throw', async () => {
    const lines: string[] = [];
    const source: SnapshotSource = {
      readDesired: () => Promise.reject(new Error('bug')),
      readRuntime: () => Promise.resolve({ status: 'unreadable', code: 'missing', reason: 'x' }),
      readAudit: () => Promise.resolve({ events: [], skipped: 0, problems: [], files: [] }),
    };
    const reports = await publishState([publisher('a', () => Promise.resolve(ok)), publisher('b', () => Promise.resolve(ok))], source, 'run', null, { report: (line) => lines.push(line) });
    expect(reports.map((r) => r.result.kind)).toEqual(['failed', 'failed']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not be read for the fleet: bug/);
  });
});

describe('the metrics adapter', () => {
  it('writes dubnium.prom whole, 0644, and leaves no temp file', async () => {
    const result = await metricsAdapter({ textfileDir: dir }).publish(snapshot());
    expect(result).toEqual(ok);
    expect(await readdir(dir)).toEqual(['dubnium.prom']);
    expect((await stat(join(dir, 'dubnium.prom'))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(dir, 'dubnium.prom'), 'utf8')).toMatch(/^# HELP dubnium_mode_info [^\n]+\n# TYPE dubnium_mode_info gauge\ndubnium_mode_info\{mode="unknown"\} 1\n/);
  });

  it('says which folder is missing and which key names it', async () => {
    const missing = join(dir, 'text');
    const result = await metricsAdapter({ textfileDir: missing }).publish(snapshot());
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' ? result.reason : '').toContain(`create ${missing}, or set config.metrics.textfileDir to node_exporter's --collector.textfile.directory`);
  });

  it("removes a temp file a dead writer left, never a live writer's", async () => {
    // pid 2^22 + 1 is above the kernel's pid_max ceiling: no process has it
    const dead = 'dubnium.prom.tmp-4194305-0a0b0c0d';
    const live = `dubnium.prom.tmp-${process.ppid}-0a0b0c0d`;
    const other = 'other.prom.tmp-4194305-0a0b0c0d';
    for (const name of [dead, live, other]) await writeFile(join(dir, name), 'x');
    expect(await metricsAdapter({ textfileDir: dir }).publish(snapshot())).toEqual(ok);
    expect((await readdir(dir)).sort()).toEqual(['dubnium.prom', live, other].sort());
  });

  it('is configured only when config.metrics.enable is set', () => {
    expect(fleetAdapters(workstationConfig)).toEqual([]);
    const enabled = fleetAdapters({ ...workstationConfig, metrics: { enable: true, textfileDir: dir } });
    expect(enabled.map((a) => a.name)).toEqual(['metrics']);
  });
});
