// `mode watch` against a temporary records folder written by the real record
// store: the events it prints for requests, a run's steps and outcome, a
// rotated log and a torn line, a folder that appears late; and the real
// command's exit on SIGINT, SIGTERM and a closed stdout. Every line is checked
// against the published schema.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordFiles } from '../../cli/record-views/files.ts';
import { followRecords } from '../../cli/watch/follow.ts';
import { createRecordStore, type RecordStore } from '../../effects/records/store.ts';
import { auditLogPath } from '../../effects/records/audit-log.ts';
import type { WatchEvent } from '../../schemas/cli-watch.ts';
import type { Intent } from '../../schemas/records.ts';
import { MODE_TS } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { at, facts, proven, transition } from './support/records.ts';
import { startLineChild, type LineChild } from './support/line-child.ts';
import { schemaErrors } from './support/schema.ts';

let dirs: CliDirs;
let mono = 1_000;
const clock = { now: () => new Date(), monotonicMs: () => mono };
const storeFor = (d: { runtimeDir: string; stateDir: string }, rotateBytes = 1024 * 1024): RecordStore => createRecordStore(d, { clock, audit: { rotateBytes } });

interface Watching {
  events: WatchEvent[];
  notices: string[];
  /** waits until `count` events are in */
  upTo(count: number): Promise<WatchEvent[]>;
  stop(): Promise<void>;
}

const running: Watching[] = [];

async function watching(env: Record<string, string>): Promise<Watching> {
  const events: WatchEvent[] = [];
  const notices: string[] = [];
  const stop = new AbortController();
  const done = followRecords({ files: recordFiles(env), signal: stop.signal, emit: (event) => events.push(event), notice: (text) => notices.push(text) });
  const watch: Watching = {
    events,
    notices,
    async upTo(count) {
      await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(count), { timeout: 5000, interval: 10 });
      return events;
    },
    async stop() {
      stop.abort();
      await done;
    },
  };
  running.push(watch);
  await watch.upTo(1);
  return watch;
}

/** Nothing more arrives: the watcher is given time to see a change it should ignore. */
const quiet = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const kinds = (events: readonly WatchEvent[]): string[] => events.map((e) => e.event);

const intent = (runId: string, step: string): Intent => ({ schemaVersion: 1, runId, target: 'compute', generation: 2, step, startedAt: at(0), bootId: null, pid: 4242 });

beforeEach(() => {
  dirs = cliDirs();
  mono = 1_000;
});
afterEach(async () => {
  for (const watch of running.splice(0)) {
    for (const event of watch.events) expect(schemaErrors('cli-watch', event)).toEqual([]);
    await watch.stop();
  }
  dirs.cleanup();
});

describe('mode watch', () => {
  it('starts with the state as recorded, once', async () => {
    const store = storeFor(dirs);
    await store.recordDesired('studio-local', 'tester');
    await store.writeRecord(transition('studio-local', 1, 'succeeded'), null);
    const watch = await watching(dirs.env);
    await quiet();
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]).toMatchObject({
      event: 'state',
      state: {
        desired: { mode: 'studio-local', generation: 1, requestedBy: 'tester', via: 'request' },
        observed: { mode: 'studio-local', runId: 'run-1' },
        run: null,
        lastOutcome: { runId: 'run-1', outcome: 'succeeded', target: 'studio-local' },
      },
    });
  });

  it('tells each new desired mode with the mode it replaces, and nothing for records it does not show', async () => {
    const store = storeFor(dirs);
    await store.recordDesired('desktop', 'tester');
    const watch = await watching(dirs.env);
    await store.recordDesired('compute', 'root');
    const events = await watch.upTo(2);
    expect(events[1]).toMatchObject({ event: 'desired', desired: { mode: 'compute', generation: 2, requestedBy: 'root' }, previousMode: 'desktop', state: { desired: { mode: 'compute' } } });
    // files watch does not show: no look, no event
    writeFileSync(join(dirs.runtimeDir, 'last-guards.json'), '{}');
    writeFileSync(join(dirs.stateDir, 'events.lock'), '');
    await quiet();
    expect(kinds(watch.events).filter((k) => k === 'desired')).toHaveLength(1);
  });

  it('follows a run: its start, each step started and finished with its duration, its one outcome', async () => {
    const store = storeFor(dirs);
    await store.recordDesired('desktop', 'tester');
    await store.writeObservation({ schemaVersion: 1, runId: 'run-0', writtenAt: at(1000), bootId: null, facts: facts(), classification: proven('desktop') });
    const watch = await watching(dirs.env);
    await store.recordDesired('compute', 'root');
    await watch.upTo(2);

    await store.writeIntent(intent('run-7', 'planned'));
    await store.appendAudit({ runId: 'run-7', event: 'intent', target: 'compute', generation: 2, outcome: null, reason: null });
    await watch.upTo(3);
    await store.writeIntent(intent('run-7', 'stop-display-manager'));
    await watch.upTo(4);
    mono += 1500;
    await store.appendAudit({ runId: 'run-7', event: 'step', target: 'compute', generation: 2, outcome: null, reason: 'apply stop-display-manager: ok' });
    await watch.upTo(5);
    await store.writeIntent(intent('run-7', 'start-vllm'));
    await watch.upTo(6);
    mono += 250;
    await store.appendAudit({ runId: 'run-7', event: 'step', target: 'compute', generation: 2, outcome: null, reason: 'apply start-vllm: vllm.service did not become healthy' });
    await watch.upTo(7);
    await store.writeIntent(intent('run-7', 'rollback-stop-display-manager'));
    await watch.upTo(8);

    const record = { ...transition('compute', 2, 'rolled-back'), runId: 'run-7', finalObservation: proven('desktop') };
    await store.writeRecord(record, null);
    await store.appendAudit({ runId: 'run-7', event: 'outcome', target: 'compute', generation: 2, outcome: 'rolled-back', reason: null });
    await store.clearIntent();
    await watch.upTo(9);
    await quiet();

    expect(kinds(watch.events)).toEqual(['state', 'desired', 'run-started', 'step-started', 'step-finished', 'step-started', 'step-finished', 'step-started', 'outcome']);
    const [, , started, firstStart, firstDone, , failed, rollback, outcome] = watch.events;
    expect(started).toMatchObject({ run: { runId: 'run-7', target: 'compute', generation: 2 }, state: { run: { runId: 'run-7' } } });
    expect(firstStart).toMatchObject({ stepId: 'stop-display-manager', phase: 'apply', runId: 'run-7' });
    expect(firstDone).toMatchObject({ stepId: 'stop-display-manager', phase: 'apply', ok: true, message: 'ok', durationMs: 1500 });
    expect(failed).toMatchObject({ stepId: 'start-vllm', ok: false, message: 'vllm.service did not become healthy', durationMs: 250 });
    expect(rollback).toMatchObject({ stepId: 'stop-display-manager', phase: 'rollback' });
    expect(outcome).toMatchObject({ outcome: { runId: 'run-7', outcome: 'rolled-back', target: 'compute', generation: 2 }, state: { run: null, lastOutcome: { outcome: 'rolled-back' } } });
  });

  it('tells a change of the observed mode, and not a new observation of the same mode', async () => {
    const store = storeFor(dirs);
    const observe = (runId: string, ms: number, mode: 'desktop' | 'compute') =>
      store.writeObservation({ schemaVersion: 1, runId, writtenAt: at(ms), bootId: null, facts: { ...facts(), observedAt: at(ms) }, classification: proven(mode) });
    await observe('run-1', 1000, 'desktop');
    const watch = await watching(dirs.env);
    await observe('run-2', 2000, 'desktop');
    await quiet();
    expect(watch.events).toHaveLength(1);
    await observe('run-3', 3000, 'compute');
    const events = await watch.upTo(2);
    expect(events[1]).toMatchObject({ event: 'observed', observed: { mode: 'compute', runId: 'run-3', observedAt: at(3000) }, previousMode: 'desktop', at: at(3000) });
  });

  it('reads every event across rotations of the log, in order', async () => {
    // a log this small rotates every few appends
    const store = storeFor(dirs, 700);
    const watch = await watching(dirs.env);
    for (let i = 0; i < 12; i += 1) {
      await store.appendAudit({ runId: null, event: 'rejected', target: null, generation: null, outcome: 'rejected', reason: `refusal ${i}`, detail: { requested: `mode-${i}` } });
    }
    // and one rotation by hand, between appends, as a log rotator would do it
    renameSync(auditLogPath(dirs.stateDir), `${auditLogPath(dirs.stateDir)}.9`);
    await store.appendAudit({ runId: null, event: 'rejected', target: null, generation: null, outcome: 'rejected', reason: 'refusal 12', detail: {} });
    const events = await watch.upTo(14);
    expect(readFileSync(`${auditLogPath(dirs.stateDir)}.1`, 'utf8')).not.toBe('');
    expect(events.slice(1).map((e) => (e.event === 'outcome' ? e.outcome.reason : e.event))).toEqual(Array.from({ length: 13 }, (_, i) => `refusal ${i}`));
    await quiet();
    expect(watch.events).toHaveLength(14);
  });

  it('holds a torn last line back until the rest of it is written', async () => {
    const store = storeFor(dirs);
    await store.appendAudit({ runId: null, event: 'rejected', target: null, generation: null, outcome: 'rejected', reason: 'before', detail: {} });
    const watch = await watching(dirs.env);
    const line = JSON.stringify({ v: 1, seq: 1, bootId: null, wall: at(5000), monoMs: 5, runId: 'run-9', event: 'outcome', target: 'desktop', generation: 3, outcome: 'noop', reason: null });
    appendFileSync(auditLogPath(dirs.stateDir), line.slice(0, 40));
    await quiet();
    expect(watch.events).toHaveLength(1);
    appendFileSync(auditLogPath(dirs.stateDir), `${line.slice(40)}\n`);
    const events = await watch.upTo(2);
    expect(events[1]).toMatchObject({ event: 'outcome', at: at(5000), outcome: { runId: 'run-9', outcome: 'noop', generation: 3 } });
    expect(watch.notices).toEqual([]);
  });

  it('skips the fragment a dead writer left, and reads the append that terminates it', async () => {
    const store = storeFor(dirs);
    const watch = await watching(dirs.env);
    appendFileSync(auditLogPath(dirs.stateDir), '{"v":1,"seq":0,"bootId":null,"wal');
    await quiet(100);
    await store.appendAudit({ runId: null, event: 'rejected', target: null, generation: null, outcome: 'rejected', reason: 'after the crash', detail: {} });
    const events = await watch.upTo(2);
    expect(events[1]).toMatchObject({ event: 'outcome', outcome: { reason: 'after the crash' } });
    expect(watch.notices.join('\n')).toMatch(/skipping audit lines that are not events/);
  });

  it('tells an outcome once though the record and the log both name it', async () => {
    const store = storeFor(dirs);
    const watch = await watching(dirs.env);
    await store.writeRecord({ ...transition('desktop', 4, 'noop'), runId: 'run-4' }, null);
    await store.appendAudit({ runId: 'run-4', event: 'outcome', target: 'desktop', generation: 4, outcome: 'noop', reason: null });
    await watch.upTo(2);
    await quiet();
    expect(kinds(watch.events).filter((k) => k === 'outcome')).toHaveLength(1);
  });

  it('goes on when its runtime folder is removed and made again (a wiped /run)', async () => {
    const watch = await watching(dirs.env);
    rmSync(dirs.runtimeDir, { recursive: true });
    await quiet(100);
    mkdirSync(dirs.runtimeDir);
    await quiet(100);
    await storeFor(dirs).recordDesired('compute', 'root');
    const events = await watch.upTo(2);
    expect(events[1]).toMatchObject({ event: 'desired', desired: { mode: 'compute', generation: 1 } });
    expect(watch.notices).toEqual([`${dirs.runtimeDir} does not exist yet; waiting for it (watching ${dirs.root})`]);
    // and made again at once, before watch could see it gone; an observation touches the runtime folder only
    rmSync(dirs.runtimeDir, { recursive: true });
    mkdirSync(dirs.runtimeDir);
    await quiet(100);
    await storeFor(dirs).writeObservation({ schemaVersion: 1, runId: 'run-2', writtenAt: at(2000), bootId: null, facts: facts(), classification: proven('compute') });
    await watch.upTo(3);
    expect(watch.events[2]).toMatchObject({ event: 'observed', observed: { mode: 'compute' } });
  });

  it('waits for records folders that do not exist yet, and says so once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dubnium-watch-'));
    try {
      const runtimeDir = join(root, 'run', 'mode-controller');
      const stateDir = join(root, 'state');
      copyFileSync(join(dirs.root, 'config.json'), join(root, 'config.json'));
      const env = { RUNTIME_DIRECTORY: runtimeDir, STATE_DIRECTORY: stateDir, DUBNIUM_CONFIG: join(root, 'config.json') };
      const watch = await watching(env);
      expect(watch.events[0]).toMatchObject({ event: 'state', state: { desired: null, observed: null, run: null, lastOutcome: null } });
      expect(watch.notices).toEqual([`${runtimeDir} does not exist yet; waiting for it (watching ${root})`, `${stateDir} does not exist yet; waiting for it (watching ${root})`]);
      mkdirSync(join(root, 'run'));
      await quiet(100);
      mkdirSync(runtimeDir);
      mkdirSync(stateDir);
      await quiet(100);
      await storeFor({ runtimeDir, stateDir }).recordDesired('compute', 'root');
      const events = await watch.upTo(2);
      expect(events[1]).toMatchObject({ event: 'desired', desired: { mode: 'compute' } });
      expect(watch.notices.slice(2)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the mode watch command', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function start(args: string[], nodeArgs: string[] = []): LineChild {
    const started = startLineChild(process.execPath, [...nodeArgs, MODE_TS, 'watch', ...args], { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', ...dirs.env });
    children.push(started.child);
    return started;
  }

  const firstLines = (lines: string[], count: number) => vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(count), { timeout: 15_000, interval: 20 });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints JSON lines of the published schema and exits 0 on ${signal}`, async () => {
      const store = storeFor(dirs);
      await store.recordDesired('desktop', 'tester');
      const watch = start(['--json']);
      await firstLines(watch.lines, 1);
      await store.recordDesired('studio-local', 'tester');
      await firstLines(watch.lines, 2);
      watch.child.kill(signal);
      expect(await watch.exit).toEqual({ code: 0, signal: null });
      const events = watch.lines.map((line) => JSON.parse(line) as WatchEvent);
      expect(kinds(events)).toEqual(['state', 'desired']);
      for (const event of events) expect(schemaErrors('cli-watch', event)).toEqual([]);
      expect(watch.stderr()).toBe('');
    }, 30_000);
  }

  it('prints one line per event for a person', async () => {
    const store = storeFor(dirs);
    await store.recordDesired('desktop', 'tester');
    const watch = start([]);
    await firstLines(watch.lines, 1);
    await store.recordDesired('compute', 'root');
    await firstLines(watch.lines, 2);
    watch.child.kill('SIGTERM');
    await watch.exit;
    expect(watch.lines[0]).toMatch(/observed nothing yet; desired desktop \(generation 1\)$/);
    expect(watch.lines[1]).toMatch(/desired compute \(generation 2, by root via request\), was desktop$/);
  }, 30_000);

  it('stays light beside the desktop: it loads no xstate, execa, ajv or zod, and no controller', async () => {
    // a module hook that names every file Node loads, as test/cli/startup.test.ts does for the verbs that exit
    writeFileSync(join(dirs.root, 'hooks.mjs'), 'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n');
    writeFileSync(join(dirs.root, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    const watch = start(['--json'], ['--import', join(dirs.root, 'register.mjs')]);
    await firstLines(watch.lines, 1);
    watch.child.kill('SIGTERM');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
    const files = watch.stderr().split('\n').filter((line) => line.startsWith('LOADED '));
    expect(files.some((file) => file.endsWith('/cli/watch/follow.ts'))).toBe(true);
    expect(files.filter((file) => /\/node_modules\/(xstate|execa|ajv|zod)\/|\/cli\/(run|request|boot)\/|\/machines\/|\/predicates\//.test(file))).toEqual([]);
  }, 30_000);

  it('ends quietly with 0 when its reader goes away', async () => {
    const store = storeFor(dirs);
    const watch = start(['--json']);
    await firstLines(watch.lines, 1);
    watch.child.stdout.destroy();
    await store.recordDesired('compute', 'root');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
    expect(watch.stderr()).toBe('');
  }, 30_000);
});
