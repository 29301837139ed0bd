// Records for the CLI tests, written through the records layer's own writers
// (so they are exactly what a controller run leaves behind) and shaped by the
// schemas. Synthetic on purpose: these tests exercise how the CLI reads and
// shows records, not how the engine produces them.
import { createRecordStore } from '../../../effects/records/store.ts';
import type { Classification, TransitionRecord } from '../../../schemas/records.ts';
import type { Facts } from '../../../schemas/facts.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { CliDirs } from './dirs.ts';

export const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

const source = { kind: 'simulated', name: 'cli-test' } as const;
const unknownFact = { status: 'unknown', code: 'not-observed', reason: 'not part of this test', source, readAt: at(0) } as const;

export function facts(): Facts {
  return {
    observedAt: at(1000),
    units: { status: 'known', value: [], source, readAt: at(1000) },
    sessions: unknownFact,
    gpus: unknownFact,
    alsa: unknownFact,
    audioStreams: unknownFact,
    audioProcesses: unknownFact,
    audioRealtime: unknownFact,
    memory: { status: 'known', value: { memTotalKiB: 65_000_000, memAvailableKiB: 50_000_000 }, source, readAt: at(1000) },
    paths: unknownFact,
    gpuHolders: unknownFact,
    model: unknownFact,
  };
}

export const proven = (mode: ModeName): Classification => ({
  mode,
  evidence: [{ fact: 'units.display-manager.service.activeState', source: { kind: 'command', argv: ['systemctl', 'show'], exitCode: 0 }, lines: ['ActiveState=active'] }],
});

export const degradedFromCompute: Classification = {
  mode: 'degraded',
  degradedFrom: 'compute',
  conflicts: [{ code: 'vllm-inactive', message: 'vllm.service is not active', path: ['units', 'vllm.service'], evidence: [{ fact: 'units.vllm.service.activeState', source, lines: ['ActiveState=failed'] }] }],
};

export function transition(target: ModeName, generation: number, outcome: TransitionRecord['outcome'], finalObservation?: Classification): TransitionRecord {
  return {
    schemaVersion: 1,
    runId: `run-${generation}`,
    target,
    generation,
    outcome,
    from: proven('desktop'),
    finalObservation: finalObservation ?? (outcome === 'succeeded' ? proven(target) : proven('desktop')),
    firstFailedPredicate:
      outcome === 'blocked' ? { code: 'audio-active', message: 'reaper is running (pid 4242)', path: ['audioProcesses'], evidence: [] } : null,
    guards: null,
    plan: [],
    steps: [],
    phases: [{ name: 'observe', durationMs: 40 }],
    startedAt: at(0),
    finishedAt: at(1200),
    durationMs: 1200,
    bootId: null,
  };
}

export async function writeRecords(
  dirs: CliDirs,
  records: { desired?: ModeName[]; transition?: TransitionRecord; observation?: Classification },
): Promise<void> {
  const store = createRecordStore({ runtimeDir: dirs.runtimeDir, stateDir: dirs.stateDir });
  for (const mode of records.desired ?? []) {
    const result = await store.recordDesired(mode, 'tester');
    if (!result.ok) throw new Error(result.failure.message);
  }
  if (records.transition) await store.writeRecord(records.transition, null);
  if (records.observation) {
    const written = await store.writeObservation({ schemaVersion: 1, runId: 'run-obs', writtenAt: at(1000), bootId: null, facts: facts(), classification: records.observation });
    if (!written.ok) throw new Error(written.failure.message);
  }
}
