// Model-based tests: paths generated from the chart itself (xstate/graph),
// each replayed against the real controller actor. For every state the
// traversal synthesizes what each invoked actor can report — done with each
// kind of output, error, or its `after` timeout — with facts taken from
// SimulatedHost worlds. Paths are the shortest path to every (state, cursor)
// vertex plus every edge leaving it; the replay feeds the same outcomes to the
// real actor (timeouts come from the simulated clock) and checks it ends where
// the path says. Every transition of the chart must be taken at least once.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, type AnyEventObject, type AnyTransitionDefinition, type InspectionEvent } from 'xstate';
import { __unsafe_getAllOwnEventDescriptors } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type AdjacencyValue } from 'xstate/graph';
import { controller } from '../../../machines/controller.ts';
import type { ApplyStepInput } from '../../../machines/actors.ts';
import type { StepOutcome } from '../../../machines/apply-step.ts';
import type { HeldLock, RunContext, RunInput } from '../../../machines/context.ts';
import type { LockResult, NoticeDelivery, NoticeReport } from '../../../machines/host.ts';
import { observeAndRecord, type Observation } from '../../../machines/observation.ts';
import { xstateClockFor } from '../../../machines/xstate-clock.ts';
import { isReadinessWait } from '../../../predicates/timeouts.ts';
import { MODES } from '../../../schemas/modes.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { DesiredRecord, GuardReport, Intent, PlanStep, StepRecord, TransitionRecord } from '../../../schemas/records.ts';
import { SimulatedClock } from '../../../simulation/clock.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';

type Snapshot = ReturnType<typeof controller.transition>;

// what the observe actor reports: the facts and their classification (the simulated host records nothing)
const observeIn = (options: Partial<SimulatedHostOptions>, runConfig = config): Promise<Observation> => observeAndRecord(new SimulatedHost({ config: runConfig, ...options }));

// A Slurm node (issue 15): the drain, the wait for jobs and the resume are states of their own
const slurmConfig = { ...config, slurm: { ...config.slurm, enable: true } };

interface Variants {
  first: Record<ModeName, Observation[]>;
  later: Observation[];
}

/**
 * The Slurm node's observations: compute with a job (the run drains and waits; after the drain it blocks), compute with
 * slurmctld unreachable (blocked at once), compute drained (a noop resumes), and the plain modes with the fact known.
 */
async function slurmVariants(): Promise<Variants> {
  const job = { jobs: [{ id: '42', user: 'alice' }] };
  const [desktop, compute, withJob, unreachable, drained] = await Promise.all([
    observeIn({ mode: 'desktop', slurm: { drained: true, reason: 'dubnium: desktop' } }, slurmConfig),
    observeIn({ mode: 'compute' }, slurmConfig),
    observeIn({ mode: 'compute', slurm: job }, slurmConfig),
    observeIn({ mode: 'compute', slurm: { reachable: false } }, slurmConfig),
    observeIn({ mode: 'compute', slurm: { drained: true, reason: 'dubnium: desktop' } }, slurmConfig),
  ]);
  const first = [desktop, compute, withJob, unreachable, drained];
  return { first: { desktop: first, 'studio-local': first, compute: first }, later: [desktop, compute] };
}

async function factsVariants(): Promise<Variants> {
  const [desktop, studio, compute, degraded, unknown] = await Promise.all([
    observeIn({ mode: 'desktop' }),
    observeIn({ mode: 'studio-local' }),
    observeIn({ mode: 'compute' }),
    observeIn({ mode: 'desktop', sliceWeights: { 'ai.slice': { cpuWeight: 7, ioWeight: 7 } } }),
    observeIn({ mode: 'desktop', faults: { unknownFacts: [{ fact: 'units' }] } }),
  ]);
  // A hard guard failure for each target: a unit the plan needs is not loadable.
  const blocks = {
    desktop: await observeIn({ mode: 'compute', loadStates: { 'desktop.target': 'masked' } }),
    'studio-local': await observeIn({ mode: 'desktop', loadStates: { 'audio-priority.service': 'not-found' } }),
    compute: await observeIn({ mode: 'desktop', loadStates: { 'vllm-ready.service': 'not-found' } }),
  };
  const common = [desktop, studio, compute, degraded, unknown];
  return {
    first: { desktop: [...common, blocks.desktop], 'studio-local': [...common, blocks['studio-local']], compute: [...common, blocks.compute] },
    later: [desktop, studio, compute, unknown],
  };
}

// what a run killed after its isolate step leaves in the journal
const leftIntent: Intent = {
  schemaVersion: 1,
  runId: 'killed-run',
  target: 'compute',
  generation: 3,
  step: 'isolate-compute-target',
  startedAt: '2026-11-26T09:59:00.000Z',
  bootId: null,
  pid: 4711,
};

const stepRecord = (step: PlanStep, phase: 'apply' | 'rollback', ok: boolean): StepRecord => ({
  stepId: step.id,
  phase,
  action: (phase === 'apply' ? step.action : step.inverse) ?? step.action,
  ok,
  message: ok ? 'ok' : 'injected failure',
  startedAt: '2026-11-26T10:00:00.000Z',
  durationMs: 0,
  commands: [],
});

function eventsFor(variants: Variants, target: ModeName) {
  return (snapshot: Snapshot): AnyEventObject[] => {
    const context = snapshot.context;
    // a finished run takes no more events (the root's INTERRUPT handler is still listed for it)
    if (snapshot.status === 'done') return [];
    return (__unsafe_getAllOwnEventDescriptors(snapshot) as string[]).flatMap((type): AnyEventObject[] => {
      if (type.startsWith('xstate.error.actor.')) return [{ type, error: new Error('injected actor error') }];
      if (type.startsWith('xstate.after.')) return [{ type }];
      // INTERRUPT anywhere only sets a flag: sent once, where it can change the path (before the guards, during a
      // step or an undo), marked with whether that step only waits so thinning keeps an edge of each kind
      if (type === 'INTERRUPT') {
        if (context.interruptRequested || !['observing', 'noticing', 'applying', 'rollingBack', 'draining', 'awaitingWork', 'resumingWork'].some((s) => snapshot.matches(s as never))) return [];
        const inFlight = [context.plan[context.cursor]?.action, context.undo[0]?.inverse, context.workStep?.action];
        return [{ type, waiting: inFlight.map((a) => (a ? isReadinessWait(a, config) : false)).join('/') }];
      }
      // the grace period after an INTERRUPT is over
      if (type === 'ABANDON_STEP') return context.interruptRequested ? [{ type }] : [];
      // what the warnPerson actor reports during the countdown
      if (type === 'NOTICE_SHOWN') return [{ type, detail: 'notification 7' }];
      if (type === 'NOTICE_UNDELIVERED') return [{ type, reason: 'no session bus' }];
      if (type === 'REFUSED') return [{ type, by: 'alice', via: 'notification', at: '2026-11-26T10:00:10.000Z' }];
      const id = type.replace('xstate.done.actor.', '');
      switch (id) {
        case 'acquireLock':
          return [
            { type, output: { acquired: true, release: () => Promise.resolve() } },
            { type, output: { acquired: false, holder: 'pid 4711' } },
          ];
        case 'observe':
          return variants.first[target].map((output) => ({ type, output }));
        case 'verify':
        case 'proveRollback':
          return variants.later.map((output) => ({ type, output }));
        case 'applyStep': {
          const step = context.plan[context.cursor]!;
          return [true, false].map((ok) => ({ type, output: { record: stepRecord(step, 'apply', ok), reason: ok ? null : { code: 'step-failed', message: 'injected', path: [], evidence: [] } } }));
        }
        // the workload manager's steps (machines/work-states.ts): the step the state began
        case 'drainWork':
        case 'awaitWork':
        case 'resumeWork': {
          const step = context.workStep!;
          return [true, false].map((ok) => ({ type, output: { record: stepRecord(step, 'apply', ok), reason: ok ? null : { code: 'step-failed', message: 'injected', path: [], evidence: [] } } }));
        }
        case 'undoStep': {
          const step = context.undo[0]!;
          return [true, false].map((ok) => ({ type, output: { record: stepRecord(step, 'rollback', ok), reason: null } }));
        }
        case 'readDesired':
          // on a Slurm node, also `mode request --force`
          return context.config.slurm.enable ? [{ type, output: null }, { type, output: { ...forced, mode: target } }] : [{ type, output: null }];
        case 'readIntent':
          return [{ type, output: null }, { type, output: leftIntent }];
        default:
          return [{ type, output: undefined }];
      }
    });
  };
}

const forced: DesiredRecord = { schemaVersion: 1, mode: 'desktop', generation: 1, requestedAt: '2026-11-26T09:59:00.000Z', requestedBy: 'root', force: true };

// Vertices: the state plus where the run is in its plan, so apply and rollback loops unroll.
const serialize = (s: Snapshot): string =>
  JSON.stringify({
    value: s.value,
    status: s.status,
    cursor: s.context.cursor,
    planned: s.context.plan.length,
    undo: s.context.undo.length,
    outcome: s.context.outcome,
    interrupt: s.context.interruptRequested,
    // an intent left by a killed run matters until this run has recorded it as recovered
    leftIntent: s.context.interruptedRun !== null && !s.context.recoveryRecorded,
    drained: s.context.workDrained,
    force: s.context.force,
  });

// the second config only changes what a warning that cannot be shown does: go ahead at once instead of waiting the grace
const proceedUnwarned = { ...config, notice: { ...config.notice, ifUnwarned: 'proceed' as const } };
const RUNS: { target: ModeName; config: typeof config }[] = [
  ...MODES.map((target) => ({ target, config })),
  { target: 'compute', config: proceedUnwarned },
  // a Slurm node: leaving compute (drain, wait, block or resume) and entering it (resume). The Slurm states add 19
  // transitions (86 -> 105): guarding -> draining; draining's ABANDON_STEP, four ends (asked to stop, --force,
  // drained, failed), error, timeout; awaitingWork's INTERRUPT, end, error, timeout; settlingWork's two; resumingWork's
  // ABANDON_STEP, two ends, error, timeout. noop/blocked/succeeded/rolled-back now lead to settlingWork (retargeted).
  { target: 'desktop', config: slurmConfig },
  { target: 'compute', config: slurmConfig },
];

const traversalInput = (target: ModeName, runConfig = config): RunInput => ({
  config: runConfig,
  target,
  runId: 'mbt',
  bootId: null,
  pid: 1,
  now: () => 0,
  wall: () => '2026-11-26T10:00:00.000Z',
});

interface TestPath {
  target: ModeName;
  config: typeof config;
  events: AnyEventObject[];
  end: Snapshot;
}

/** What distinguishes one synthesized event from another of the same type, for thinning edges. */
function eventKind(event: AnyEventObject): string {
  const output: unknown = event.output;
  if (event.type === 'INTERRUPT') return `${event.type}:${String(event.waiting)}`;
  if (output === undefined || output === null) return event.type;
  if (typeof output === 'object' && 'facts' in output) return `${event.type}:${JSON.stringify(output)}`;
  if (typeof output === 'object' && 'record' in output) return `${event.type}:${String((output as { record: StepRecord }).record.ok)}`;
  if (typeof output === 'object' && 'acquired' in output) return `${event.type}:${String((output as { acquired: boolean }).acquired)}`;
  return event.type;
}

/**
 * The shortest path to every vertex, then each edge out of it. `thin` keeps one
 * edge per (state, event kind) instead of one per vertex — the default suite's
 * size; MBT_FULL=1 replays them all.
 */
function pathsFor(variants: Variants, target: ModeName, runConfig: typeof config, thin: boolean): TestPath[] {
  // plain events (INTERRUPT, ABANDON_STEP) are sent to the actor; the others stand for what an invoked actor reports
  const events = eventsFor(variants, target) as unknown as (s: Snapshot) => Parameters<typeof controller.transition>[1][];
  const options = { input: traversalInput(target, runConfig), events, serializeState: serialize };
  const shortest = new Map(getShortestPaths(controller, options).map((p) => [serialize(p.state), p]));
  const adjacency = getAdjacencyMap(controller, options);
  const paths: TestPath[] = [];
  const seenEdges = new Set<string>();
  for (const [vertex, { state, transitions }] of Object.entries(adjacency) as [string, AdjacencyValue<Snapshot, AnyEventObject>][]) {
    const to = shortest.get(vertex);
    if (!to) continue;
    const prefix: AnyEventObject[] = to.steps.slice(1).map((s) => s.event);
    paths.push({ target, config: runConfig, events: prefix, end: to.state });
    for (const { event, state: next } of Object.values(transitions)) {
      // the drain's end goes three ways on flags of the run (asked to stop, --force): keep an edge of each
      const flags = state.matches('draining') ? `|${String(state.context.interruptRequested)}|${String(state.context.force)}` : '';
      const key = `${JSON.stringify(state.value)}${flags}|${eventKind(event)}`;
      if (thin && seenEdges.has(key)) continue;
      seenEdges.add(key);
      paths.push({ target, config: runConfig, events: [...prefix, event], end: next });
    }
  }
  return paths;
}

// ---- replay against the real actor ------------------------------------

let script: AnyEventObject[] = [];
let exhausted: (() => void) | null = null;
let current: { send(event: AnyEventObject): void } | null = null;
const isPlain = (event: AnyEventObject): boolean => !event.type.startsWith('xstate.');

function scripted<T, I>(invokeIds: string[]) {
  return fromPromise<T, I>(async ({ signal }) => {
    // Events sent from outside (INTERRUPT, ABANDON_STEP) while this actor runs: send them once the
    // current macrostep is over; if they end this state, the actor's output no longer matters.
    while (script[0] && isPlain(script[0])) {
      const event = script.shift()!;
      await Promise.resolve();
      current?.send(event);
      if (signal.aborted) return new Promise<T>(() => undefined);
    }
    const next = script.shift();
    if (!next) {
      exhausted?.();
      return new Promise<T>(() => undefined);
    }
    const id = next.type.replace(/^xstate\.(done|error)\.actor\./, '');
    if (next.type.startsWith('xstate.after.')) {
      return new Promise<T>((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled by its timeout')), { once: true }));
    }
    if (!invokeIds.includes(id)) return Promise.reject(new Error(`script out of step: ${next.type} while running ${invokeIds.join('/')}`));
    if (next.type.startsWith('xstate.error.actor.')) return Promise.reject(next.error instanceof Error ? next.error : new Error('injected'));
    return Promise.resolve(next.output as T);
  });
}

// The countdown's reports are events the warnPerson actor sends back: it sends the scripted ones in order; a scripted
// grace timeout is left to the clock, which fires it once everything is idle.
const NOTICE_REPORTS = new Set(['NOTICE_SHOWN', 'NOTICE_UNDELIVERED', 'REFUSED']);
const scriptedWarning = fromCallback<NoticeReport, NoticeDelivery>(({ sendBack }) => {
  let stopped = false;
  void (async () => {
    while (!stopped && script[0] && (NOTICE_REPORTS.has(script[0].type) || script[0].type === 'INTERRUPT')) {
      const event = script.shift()!;
      await Promise.resolve();
      if (event.type === 'INTERRUPT') current?.send(event);
      else sendBack(event);
    }
    if (stopped) return;
    if (script[0]?.type.startsWith('xstate.after.')) script.shift();
    else if (script.length === 0) exhausted?.();
  })();
  return () => {
    stopped = true;
  };
});

const replayMachine = controller.provide({
  actors: {
    acquireLock: scripted<LockResult, void>(['acquireLock']),
    readDesired: scripted<DesiredRecord | null, void>(['readDesired']),
    observe: scripted<Observation, void>(['observe', 'verify', 'proveRollback']),
    writeIntent: scripted<void, Intent>(['writeIntent']),
    applyStep: scripted<StepOutcome, ApplyStepInput>(['applyStep', 'undoStep', 'drainWork', 'awaitWork', 'resumeWork']),
    record: scripted<void, { record: TransitionRecord; guards: GuardReport | null }>(['record']),
    clearIntent: scripted<void, void>(['clearIntent']),
    releaseLock: scripted<void, { lock: HeldLock | null }>(['releaseLock']),
    readIntent: scripted<Intent | null, void>(['readIntent']),
    recordRecovery: scripted<void, { record: TransitionRecord; intent: Intent; recoveredBy: string }>(['recordRecovery']),
    warnPerson: scriptedWarning,
  },
});

function allTransitions(): AnyTransitionDefinition[] {
  const out: AnyTransitionDefinition[] = [];
  const walk = (node: typeof replayMachine.root) => {
    for (const defs of node.transitions.values()) out.push(...defs);
    out.push(...(node.always ?? []));
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(replayMachine.root);
  return out;
}

const describeTransition = (t: AnyTransitionDefinition) => `${t.source.id} --${t.eventType || 'always'}--> ${(t.target ?? []).map((n) => n.id).join(',')}`;

async function replay(path: TestPath, taken: Set<AnyTransitionDefinition>): Promise<{ value: unknown; context: RunContext }> {
  script = [...path.events];
  const clock = new SimulatedClock();
  const actor = createActor(replayMachine, {
    clock: xstateClockFor(clock),
    input: { ...traversalInput(path.target, path.config), now: () => clock.monotonicMs(), wall: () => clock.now().toISOString() },
    inspect: (e: InspectionEvent) => {
      if (e.type === '@xstate.microstep') for (const t of e._transitions) taken.add(t);
    },
  });
  current = actor;
  const ended = new Promise<void>((resolve, reject) => {
    exhausted = resolve;
    actor.subscribe({ complete: () => resolve(), error: reject });
  });
  actor.start();
  await ended;
  const snapshot = actor.getSnapshot();
  actor.stop();
  exhausted = null;
  current = null;
  return { value: snapshot.value, context: snapshot.context };
}

describe('model-based: paths from the chart replayed against the real actor', () => {
  let variants: Variants;
  let slurm: Variants;
  beforeAll(async () => {
    variants = await factsVariants();
    slurm = await slurmVariants();
  });

  it('covers every transition of the chart, each path ending where the model says', async () => {
    const taken = new Set<AnyTransitionDefinition>();
    const paths = RUNS.flatMap((run) => pathsFor(run.config.slurm.enable ? slurm : variants, run.target, run.config, process.env.MBT_FULL !== '1'));
    const mismatches: string[] = [];
    for (const path of paths) {
      const { value, context } = await replay(path, taken);
      if (script.length > 0) mismatches.push(`${path.target}: ${script.length} scripted events left unconsumed: ${path.events.map((e) => e.type).join(" > ")}`);
      if (JSON.stringify(value) !== JSON.stringify(path.end.value) || context.outcome !== path.end.context.outcome || context.cursor !== path.end.context.cursor) {
        mismatches.push(`${path.target} via ${path.events.map((e) => e.type).join(' > ')}: actor at ${JSON.stringify(value)}/${context.outcome}, model at ${JSON.stringify(path.end.value)}/${path.end.context.outcome}`);
      }
    }
    const missing = allTransitions().filter((t) => !taken.has(t)).map(describeTransition);
    console.info(`model-based: replayed ${paths.length} paths from the chart; ${allTransitions().length - missing.length}/${allTransitions().length} transitions taken`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(missing).toEqual([]);
    expect(paths.length).toBeGreaterThan(100);
    // ~1,900 paths: ~15 s alone, twice that beside the other engine tests on 2 shared cores
  }, 120_000);
});
