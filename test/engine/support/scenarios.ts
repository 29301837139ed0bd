// Random request sequences with random faults on the simulated host, and the
// invariants every run must keep. Shared by the property test (a few hundred
// sequences) and machines/long-property-run.ts (ten thousand), so both check
// exactly the same thing. Violations come back as strings, not thrown, so the
// long run can count them.
import fc from 'fast-check';
import { runController } from '../../../machines/run-controller.ts';
import { classify } from '../../../predicates/classify.ts';
import { isTargetReached } from '../../../predicates/modes.ts';
import type { Config } from '../../../schemas/config.ts';
import type { FactName, Memory, NamedProcess } from '../../../schemas/facts.ts';
import { MODES } from '../../../schemas/modes.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { AuditEvent, Intent, Outcome, TransitionRecord } from '../../../schemas/records.ts';
import { SimulatedCrash, type Faults } from '../../../simulation/faults.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import type { WorldInit } from '../../../simulation/world.ts';
import { SHIPPED_MODE_BOOT } from '../../../simulation/mode-boot.ts';
import { schemaErrors } from './schema.ts';

export interface RunSpec {
  target: ModeName;
  faults: Faults;
  lockHeldByOther: boolean;
  /** a newer request recorded just before this run starts */
  desired: ModeName | null;
}

export interface Scenario {
  initial: WorldInit;
  runs: RunSpec[];
}

const FACT_NAMES: FactName[] = ['units', 'sessions', 'gpus', 'alsa', 'audioStreams', 'audioProcesses', 'memory', 'paths', 'model'];

const STEP_IDS = [
  'intent-written',
  'set-weights-interactive',
  'set-weights-platform',
  'start-audio-priority-service',
  'stop-studio-local-policy-service',
  'terminate-session-2',
  'isolate-compute-target',
  'wait-gpu-released',
  'start-vllm-service',
  'stop-vllm-service',
  'isolate-desktop-target',
  'rollback-isolate-compute-target',
  'rollback-set-weights-ai',
];

export function faultsArb(config: Config): fc.Arbitrary<Faults> {
  const u = config.units;
  const units = [u.desktopTarget, u.computeTarget, u.displayManager, u.vllm, u.vllmReady, ...u.studioOverlay];
  const one: fc.Arbitrary<Faults> = fc.oneof(
    fc.constantFrom(...units).map((x) => ({ failStart: [x] })),
    fc.constantFrom(...units).map((x) => ({ hangStart: [x] })),
    fc.constantFrom(...units).map((x) => ({ crashAfterStart: [x] })),
    fc.constantFrom(...units).map((x) => ({ failStop: [x] })),
    fc.constantFrom(...units).map((x) => ({ hangStop: [x] })),
    fc.constantFrom(...Object.values(u.slices)).map((x) => ({ failSetProperty: [x] })),
    fc.constant({ gpuNotReleased: true }),
    fc.constant({ vllmNeverReady: true }),
    fc.record({ fact: fc.constantFrom(...FACT_NAMES), fromObservation: fc.integer({ min: 1, max: 8 }) }).map((f) => ({ unknownFacts: [f] })),
    fc.constantFrom(...STEP_IDS).map((id) => ({ dieAfterStep: id })),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 4, arbitrary: one },
    { weight: 1, arbitrary: fc.tuple(one, one).map(([a, b]) => ({ ...a, ...b })) },
  );
}

export function initialArb(config: Config): fc.Arbitrary<WorldInit> {
  const weights = fc.record({ cpuWeight: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }), ioWeight: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }) });
  const reaper: NamedProcess[] = [{ pid: 4242, name: 'reaper' }];
  const plenty: Memory = { memTotalKiB: 64 * 1024 * 1024, memAvailableKiB: 40 * 1024 * 1024 };
  const scarce: Memory = { memTotalKiB: 64 * 1024 * 1024, memAvailableKiB: 1024 };
  return fc
    .record({
      mode: fc.constantFrom(...MODES),
      audioProcesses: fc.oneof({ weight: 5, arbitrary: fc.constant<NamedProcess[]>([]) }, { weight: 1, arbitrary: fc.constant(reaper) }),
      memory: fc.oneof({ weight: 5, arbitrary: fc.constant(plenty) }, { weight: 1, arbitrary: fc.constant(scarce) }),
      sliceWeights: fc.option(fc.record({ [config.units.slices.interactive]: weights, [config.units.slices.ai]: weights }), { nil: undefined, freq: 4 }),
      // mode-boot.service as shipped, re-run by systemd whenever a target pulls it in and it is not active
      modeBoot: fc.option(fc.constant(SHIPPED_MODE_BOOT), { nil: undefined, freq: 2 }),
    })
    .map((init): WorldInit => {
      const { modeBoot, ...rest } = init;
      return { ...rest, audioProcesses: [...init.audioProcesses], ...(modeBoot ? { modeBoot } : {}) };
    });
}

export function scenarioArb(config: Config, maxRuns = 4): fc.Arbitrary<Scenario> {
  const run: fc.Arbitrary<RunSpec> = fc.record({
    target: fc.constantFrom(...MODES),
    faults: faultsArb(config),
    lockHeldByOther: fc.nat(9).map((n) => n === 0),
    desired: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...MODES) }),
  });
  return fc.record({ initial: initialArb(config), runs: fc.array(run, { minLength: 1, maxLength: maxRuns }) });
}

export interface ScenarioResult {
  outcomes: Outcome[];
  crashes: number;
  violations: string[];
}

const FAILING: Outcome[] = ['blocked', 'rolled-back', 'degraded', 'busy'];

function checkRecovered(intent: Intent, recovered: TransitionRecord | undefined, audit: AuditEvent[], fail: (what: string) => void): void {
  if (recovered?.outcome !== 'recovered' || recovered.runId !== intent.runId || recovered.target !== intent.target) {
    fail(`the interrupted run ${intent.runId} was not recorded as recovered first (got ${recovered?.outcome ?? 'nothing'})`);
    return;
  }
  if (!recovered.firstFailedPredicate?.message.includes(intent.step === 'planned' ? 'before its first step' : `step ${intent.step}`)) fail(`the recovered record does not name the last step ${intent.step}`);
  if (recovered.finalObservation === null) fail('the recovered record carries no fresh classification');
  for (const e of schemaErrors('transition-record', recovered)) fail(`recovered record does not match its JSON Schema: ${JSON.stringify(e)}`);
  if (audit.filter((e) => e.event === 'recovered' && e.runId === intent.runId && e.outcome === 'recovered').length !== 1) fail('expected exactly one recovered audit event naming the interrupted run');
}

/** PID 1 starting the controller units mode-boot.service queued (--no-block); each run reconciles to the newest desired mode. */
export async function runQueuedStarts(host: SimulatedHost): Promise<void> {
  const faults = host.faults;
  host.faults = {};
  for (let mode = host.pendingControllerStarts.shift(); mode !== undefined; mode = host.pendingControllerStarts.shift()) await runController(host, mode);
  host.faults = faults;
}

/** Runs a scenario and checks every invariant after every run. */
export async function checkScenario(config: Config, scenario: Scenario): Promise<ScenarioResult> {
  const host = new SimulatedHost({ config, ...scenario.initial });
  const result: ScenarioResult = { outcomes: [], crashes: 0, violations: [] };
  const fail = (i: number, what: string) => result.violations.push(`run ${i}: ${what}`);
  // the boot: mode-boot.service records the boot default and starts its controller unit
  await host.boot();
  await runQueuedStarts(host);
  for (const [i, spec] of scenario.runs.entries()) {
    host.faults = spec.faults;
    if (spec.desired) host.request(spec.desired);
    const other = spec.lockHeldByOther ? await host.lock() : null;
    const performedBefore = host.performed.length;
    const recordsBefore = host.records.length;
    const auditBefore = host.audit.length;
    const intentsBefore = host.intents.length;
    // an intent left by a run that died: the next run that observes records it as recovered
    const leftIntent = host.intent;
    let record: TransitionRecord;
    try {
      record = await runController(host, spec.target, { failpoint: host.failpoint });
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      result.crashes += 1;
      // it may have recorded the intent it found as recovered before it died in its own steps, and nothing else
      const written = host.records.slice(recordsBefore).map((r) => r.record);
      const recoveredFirst = leftIntent !== null && written.length === 1 && written[0]?.outcome === 'recovered' && written[0].runId === leftIntent.runId;
      if (written.length > 0 && !recoveredFirst) fail(i, `a run that died still wrote a record (${written.map((r) => r.outcome).join(', ')})`);
      host.crash();
      if (other?.acquired) await other.release();
      continue;
    }
    if (other?.acquired) await other.release();
    result.outcomes.push(record.outcome);
    host.faults = {};
    const fresh = await host.observe();
    const performed = host.performed.length - performedBefore;
    for (const e of schemaErrors('transition-record', record)) fail(i, `record does not match its JSON Schema: ${JSON.stringify(e)}`);
    if (record.guards) for (const e of schemaErrors('guard-report', record.guards)) fail(i, `guard report does not match its JSON Schema: ${JSON.stringify(e)}`);
    for (const event of host.audit.slice(auditBefore)) for (const e of schemaErrors('audit-event', event)) fail(i, `audit event does not match its JSON Schema: ${JSON.stringify(e)}`);
    for (const intent of host.intents.slice(intentsBefore)) for (const e of schemaErrors('intent', intent)) fail(i, `intent does not match its JSON Schema: ${JSON.stringify(e)}`);
    if (record.outcome !== 'busy' && host.audit.slice(auditBefore).filter((e) => e.event === 'outcome').length !== 1) fail(i, 'expected exactly one outcome audit event');
    if (host.lockHeld) fail(i, `the lock is still held after a ${record.outcome} run`);
    if (record.outcome === 'busy') {
      if (!spec.lockHeldByOther) fail(i, 'busy without another holder');
      if (host.records.length !== recordsBefore) fail(i, 'a busy run wrote a record without the lock');
    } else {
      const recovers = leftIntent !== null && record.from !== null;
      const written = host.records.slice(recordsBefore).map((r) => r.record);
      if (written.length !== (recovers ? 2 : 1)) fail(i, `expected exactly one record${recovers ? ' after the recovered one' : ''}, got ${written.length}`);
      else if (written.at(-1) !== record) fail(i, 'the returned record is not the one written');
      if (recovers) checkRecovered(leftIntent, written[0], host.audit.slice(auditBefore), (what) => fail(i, what));
      if (leftIntent !== null && !recovers) {
        if (host.intent !== leftIntent) fail(i, 'an intent this run could not recover was not left for the next run');
      } else if (host.intent !== null) fail(i, 'the intent was not cleared');
    }
    if (['busy', 'blocked', 'noop'].includes(record.outcome) && performed !== 0) fail(i, `${record.outcome} performed ${performed} mutating calls`);
    if (record.outcome === 'succeeded') {
      if (!isTargetReached(record.target, fresh, config)) fail(i, `succeeded but a fresh observation does not prove ${record.target}: ${classify(fresh, config).mode}`);
      if (record.firstFailedPredicate !== null) fail(i, 'succeeded with a first failed predicate');
    }
    if (record.outcome === 'rolled-back' && classify(fresh, config).mode !== record.from?.mode) {
      fail(i, `rolled-back but a fresh observation says ${classify(fresh, config).mode}, not ${record.from?.mode ?? '?'}`);
    }
    if (FAILING.includes(record.outcome) && record.firstFailedPredicate === null) fail(i, `${record.outcome} without a first failed predicate`);
    if (spec.desired && record.outcome !== 'busy' && record.target !== spec.desired) fail(i, `reconciled to ${record.target}, not the newest desired ${spec.desired}`);
    // PID 1 runs whatever controller starts a re-run of mode-boot.service queued; a proven mode must hold through them
    const queued = [...host.pendingControllerStarts];
    await runQueuedStarts(host);
    if (record.outcome === 'succeeded' && classify(await host.observe(), config).mode !== record.target) {
      fail(i, `${record.target} was proven, then did not hold with no request (controller starts queued by mode-boot.service: ${queued.join(', ') || 'none'})`);
    }
    if (record.outcome === 'succeeded' || record.outcome === 'noop') {
      const before = host.performed.length;
      const again = await runController(host, record.target);
      if (again.outcome !== 'noop' || host.performed.length !== before) fail(i, `a second run to ${record.target} was ${again.outcome} with ${host.performed.length - before} mutating calls`);
    }
  }
  return result;
}
