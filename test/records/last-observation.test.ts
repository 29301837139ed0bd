// last-observation.json as a run leaves it: every observation of the run is
// written with the classification the run made of it, the last one (the
// verification) stays, and a record that cannot be written changes nothing
// about the run but is reported. Runs on the simulated world with REAL
// records (the catalogue's hybrid host, given the real host's recorder), on
// the real host with no tools on PATH, and through runOnce (the controller
// process) for the journal line.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOnce } from '../../cli/run/run-once.ts';
import { createRealHost } from '../../effects/real-host.ts';
import { observationRecorder } from '../../effects/records/observation-record.ts';
import type { Host } from '../../machines/host.ts';
import { runController } from '../../machines/run-controller.ts';
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { hybridHost, type HybridHost } from '../catalogue/support/hybrid-host.ts';
import { runCli } from '../cli/support/cli.ts';
import { workstationConfig as config } from '../engine/support/config.ts';
import { schemaErrors } from '../support/schema-errors.ts';
import { makeDirs, type TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs('dubnium-last-observation-');
});
afterEach(() => dirs.cleanup());

const readObservation = (): ObservationRecord => JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-observation.json'), 'utf8')) as ObservationRecord;
// a folder where the file goes: the rename into place fails (EISDIR) while everything else in /run stays writable
const blockObservationFile = () => mkdirSync(join(dirs.runtimeDir, 'last-observation.json'));

/** The simulated world with real records, its observations recorded by the real host's recorder. */
function recordingHybrid(from: ModeName, runId: string, unwritten: string[]): HybridHost & Host {
  const host = hybridHost({ config, mode: from }, dirs);
  const recorder = observationRecorder({
    sink: host.store,
    runId,
    now: () => host.clock.now(),
    onUnwritten: (reason) => unwritten.push(reason),
  });
  return {
    ...host,
    recordObservation: async (facts, classification) => {
      // real IO takes no simulated time, as in the hybrid host's own record methods
      const release = host.sim.clock.hold();
      try {
        await recorder(facts, classification);
      } finally {
        release();
      }
    },
  };
}

const summary = (record: TransitionRecord) => ({
  outcome: record.outcome,
  from: record.from?.mode,
  final: record.finalObservation,
  steps: record.steps.map((s) => [s.stepId, s.ok]),
  firstFailed: record.firstFailedPredicate?.code ?? null,
});

describe('a run on the simulated world with real records', () => {
  it.each([
    ['studio-local', 'desktop'],
    ['compute', 'desktop'],
    ['desktop', 'compute'],
  ] as const)('a switch to %s from %s leaves its verification as last-observation.json, valid and stamped with the run', async (target, from) => {
    const unwritten: string[] = [];
    const host = recordingHybrid(from, `run-to-${target}`, unwritten);
    const record = await runController(host, target, { runId: `run-to-${target}` });
    expect(record.outcome).toBe('succeeded');
    // observed before and after at least: the first write was overwritten by the verification
    expect(host.sim.observations).toBeGreaterThanOrEqual(2);
    expect(record.from?.mode).toBe(from);

    const written = readObservation();
    expect(schemaErrors('observation-record', written)).toEqual([]);
    expect(written.runId).toBe(`run-to-${target}`);
    expect(written.classification).toEqual(record.finalObservation);
    expect(written.classification.mode).toBe(target);
    expect(written.bootId).toBe(await host.store.bootId());
    // written as it was observed: real IO takes no simulated time
    expect(written.writtenAt).toBe(written.facts.observedAt);
    expect(unwritten).toEqual([]);
    // one atomic write each time: no temp file left
    expect(readdirSync(dirs.runtimeDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a noop run records the observation that proved it', async () => {
    const host = recordingHybrid('studio-local', 'noop-run', []);
    const record = await runController(host, 'studio-local', { runId: 'noop-run' });
    expect(record.outcome).toBe('noop');
    expect(readObservation()).toMatchObject({ runId: 'noop-run', classification: record.from });
  });

  it('a last-observation.json that cannot be written changes nothing about the run, and is reported once', async () => {
    const control = recordingHybrid('desktop', 'same', []);
    const expected = summary(await runController(control, 'compute', { runId: 'same' }));
    dirs.cleanup();
    dirs = makeDirs('dubnium-last-observation-');

    blockObservationFile();
    const unwritten: string[] = [];
    const host = recordingHybrid('desktop', 'same', unwritten);
    const record = await runController(host, 'compute', { runId: 'same' });
    expect(summary(record)).toEqual(expected);
    expect(host.sim.observations).toBeGreaterThanOrEqual(2);
    // the same reason at every poll is said once, naming the file
    expect(unwritten).toHaveLength(1);
    expect(unwritten[0]).toContain(join(dirs.runtimeDir, 'last-observation.json'));
    // the run's own records are there
    expect(JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-transition.json'), 'utf8'))).toMatchObject({ runId: 'same', outcome: 'succeeded' });
  });
});

describe('the real host', () => {
  // no tools at all: every fact is unknown and the run is blocked after its one observation
  const realRun = (onObservationUnwritten?: (reason: string) => void) => {
    const bin = join(dirs.root, 'bin');
    mkdirSync(bin, { recursive: true });
    const host = createRealHost(config, { runtimeDir: dirs.runtimeDir, stateDir: dirs.stateDir, env: { PATH: bin }, store: { runId: 'real-run' }, onObservationUnwritten });
    return runController(host, 'desktop', { runId: 'real-run' });
  };

  it('writes what it observed for the run, with the run id, the boot id and the classification the run made', async () => {
    const before = Date.now();
    const record = await realRun();
    expect(record.outcome).toBe('blocked');
    const written = readObservation();
    expect(schemaErrors('observation-record', written)).toEqual([]);
    expect(written).toMatchObject({ runId: 'real-run', classification: record.from });
    expect(written.classification.mode).toBe('unknown');
    expect(written.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(Date.parse(written.writtenAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(written.facts.units).toMatchObject({ status: 'unknown' });
  });

  it('reports a record it cannot write and ends the run the same way', async () => {
    const expected = summary(await realRun());
    dirs.cleanup();
    dirs = makeDirs('dubnium-last-observation-');
    blockObservationFile();
    const unwritten: string[] = [];
    const record = await realRun((reason) => unwritten.push(reason));
    expect(summary(record)).toEqual(expected);
    expect(unwritten).toEqual([expect.stringContaining(`cannot rename into place ${join(dirs.runtimeDir, 'last-observation.json')}`)]);
  });
});

/** One `mode run desktop` in this process, with no tool on PATH; what it printed for the journal. */
async function runOnceWithoutTools(): Promise<{ record: TransitionRecord; lines: string[] }> {
  const bin = join(dirs.root, 'bin');
  mkdirSync(bin);
  const lines: string[] = [];
  const record = await runOnce({
    config,
    target: 'desktop',
    runtimeDir: dirs.runtimeDir,
    stateDir: dirs.stateDir,
    env: { PATH: bin },
    out: (text) => lines.push(text),
    lockWaitMs: 0,
    signals: new EventEmitter() as unknown as Pick<NodeJS.Process, 'on' | 'removeListener'>,
  });
  return { record, lines };
}

describe('the controller process (runOnce)', () => {
  it('mirrors an unwritten observation into the journal and records the run as it would have', async () => {
    blockObservationFile();
    const { record, lines } = await runOnceWithoutTools();
    expect(record.outcome).toBe('blocked');
    const unwritten = lines.filter((l) => l.startsWith('observation-unwritten '));
    expect(unwritten).toHaveLength(1);
    const line = JSON.parse(unwritten[0]!.slice('observation-unwritten '.length)) as { reason: string };
    expect(Object.keys(line)).toEqual(['reason']);
    expect(line.reason).toContain(`cannot rename into place ${join(dirs.runtimeDir, 'last-observation.json')}`);
    expect(JSON.parse(readFileSync(join(dirs.runtimeDir, 'last-transition.json'), 'utf8'))).toMatchObject({ runId: record.runId, outcome: 'blocked' });
  });

  it('writes last-observation.json with the run id of the transition record', async () => {
    const { record, lines } = await runOnceWithoutTools();
    const written = readObservation();
    expect(written).toMatchObject({ runId: record.runId, classification: record.from });
    expect(lines.filter((l) => l.startsWith('observation-unwritten '))).toEqual([]);

    // what `mode current` shows afterwards: this observation, its facts and the time it was made
    const env = { RUNTIME_DIRECTORY: dirs.runtimeDir, STATE_DIRECTORY: dirs.stateDir, DUBNIUM_CONFIG: join(dirs.root, 'absent.json') };
    const shown = JSON.parse((await runCli(['current', '--json'], { env })).stdout) as CurrentOutput;
    expect(shown).toMatchObject({ source: 'recorded', observed: { mode: written.classification.mode, runId: record.runId, observedAt: written.facts.observedAt } });
    expect(shown.facts).toEqual(written.facts);
  });
});
