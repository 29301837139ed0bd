// Records shaped like the engine's, built for the records tests. They are
// synthetic on purpose: these tests exercise files and crashes, not parsers,
// so nothing here claims to be captured from a real host.
import type { Facts } from '../../../schemas/facts.ts';
import type { GuardReport, Intent, TransitionRecord } from '../../../schemas/records.ts';
import type { ObservationRecord } from '../../../schemas/runtime-records.ts';

const at = (ms: number): string => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

export function guardReport(seed = 0): GuardReport {
  return {
    schemaVersion: 1,
    target: 'compute',
    from: 'desktop',
    evaluatedAt: at(seed),
    verdict: 'pass',
    verdicts: [
      { code: 'memory-headroom', severity: 'hard', passed: true, missingFact: null, message: `seed ${seed}`, evidence: [] },
    ],
  };
}

/** `padLines` × ~100 bytes of command output: large records widen the window a crash can hit. */
export function transitionRecord(seed = 0, padLines = 0): TransitionRecord {
  const stdout = Array.from({ length: padLines }, (_, i) => `line ${i} of seed ${seed} `.padEnd(100, '.'));
  return {
    schemaVersion: 1,
    runId: `run-${seed}`,
    target: 'compute',
    generation: seed,
    outcome: 'succeeded',
    from: { mode: 'desktop', evidence: [] },
    finalObservation: { mode: 'compute', evidence: [] },
    firstFailedPredicate: null,
    guards: guardReport(seed),
    plan: [],
    steps: [
      {
        stepId: 'stop-display-manager',
        phase: 'apply',
        action: { kind: 'stop', unit: 'display-manager.service' },
        ok: true,
        message: 'stopped',
        startedAt: at(seed),
        durationMs: 12,
        commands: [
          { argv: ['systemctl', 'stop', '--', 'display-manager.service'], exitCode: 0, signal: null, timedOut: false, stdout, stderr: [], durationMs: 11 },
        ],
      },
    ],
    phases: [{ name: 'apply', durationMs: 12 }],
    startedAt: at(seed),
    finishedAt: at(seed + 12),
    durationMs: 12,
    bootId: null,
  };
}

export function intent(seed = 0, step = 'stop-display-manager'): Intent {
  return { schemaVersion: 1, runId: `run-${seed}`, target: 'compute', generation: seed, step, startedAt: at(seed), bootId: null, pid: 4242 };
}

const source = { kind: 'simulated', name: 'records-test' } as const;
const unknownFact = { status: 'unknown', code: 'not-observed', reason: 'not part of this test', source, readAt: at(0) } as const;

export function facts(): Facts {
  return {
    observedAt: at(0),
    units: { status: 'known', value: [], source, readAt: at(0) },
    sessions: unknownFact,
    gpus: unknownFact,
    alsa: unknownFact,
    audioStreams: unknownFact,
    audioProcesses: unknownFact,
    audioRealtime: unknownFact,
    memory: { status: 'known', value: { memTotalKiB: 65_000_000, memAvailableKiB: 50_000_000 }, source, readAt: at(0) },
    paths: unknownFact,
    gpuHolders: unknownFact,
    model: unknownFact,
  };
}

export function observation(seed = 0): ObservationRecord {
  return { schemaVersion: 1, runId: `run-${seed}`, writtenAt: at(seed), bootId: null, facts: facts(), classification: { mode: 'desktop', evidence: [] } };
}
