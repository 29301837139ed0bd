// The slurm-jobs-running guard and the predicates the chart's Slurm steps wait
// on (predicates/work.ts, work-steps.ts): properties over random slurm facts
// (known with any jobs and node state, unknown, or absent) and every pair of
// modes, then examples that pin each message.
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../predicates/decide.ts';
import { holds } from '../../../predicates/check.ts';
import { evaluateGuards } from '../../../predicates/guards.ts';
import { pollMs, stepTimeoutMs, WORK_POLL_MS } from '../../../predicates/timeouts.ts';
import { waitCondition } from '../../../predicates/wait-conditions.ts';
import {
  blocksNow,
  drainDue,
  firstBlocking,
  jobLine,
  leavesCompute,
  resumeDue,
  slurmJobsRunning,
  SLURM_JOBS_RUNNING,
  workDrained,
  workEnded,
  workLeftRunning,
  workResumed,
} from '../../../predicates/work.ts';
import { awaitWorkStep, drainWorkStep, resumeWorkStep, workProof, workStep, workSteps } from '../../../predicates/work-steps.ts';
import type { Config } from '../../../schemas/config.ts';
import type { Fact, Facts, SlurmJob, SlurmNode } from '../../../schemas/facts.ts';
import { MODES } from '../../../schemas/modes.ts';
import type { ObservedModeName } from '../../../schemas/names.ts';
import { GuardReport, Outcome, type GuardVerdict } from '../../../schemas/records.ts';
import { runs } from '../support/runs.ts';
import { withConfig } from '../support/config.ts';
import { factsFor, known, unknown } from '../support/facts.ts';

const slurmOn = (patch: Partial<Config['slurm']> = {}): Config =>
  withConfig((c) => {
    c.slurm = { ...c.slurm, enable: true, ...patch };
  });
const config = slurmOn();
const off = withConfig((c) => {
  c.slurm = { ...c.slurm, enable: false };
});

const node = (patch: Partial<SlurmNode> = {}): SlurmNode => ({ node: 'ws01', states: ['IDLE'], drained: false, reason: null, features: { available: [], active: [] }, jobs: [], ...patch });
const job = (id: string, user: string | null = 'alice', extra: Partial<SlurmJob> = {}): SlurmJob => ({ id, user, name: null, state: 'RUNNING', startedAt: null, ...extra });
const withSlurm = (slurm: Fact<SlurmNode> | undefined, mode: 'desktop' | 'compute' = 'compute'): Facts => {
  const facts = factsFor(mode, config);
  return slurm === undefined ? facts : { ...facts, slurm };
};

const OBSERVED: ObservedModeName[] = [...MODES, 'degraded', 'unknown'];
const jobArb: fc.Arbitrary<SlurmJob> = fc.record({
  id: fc.stringMatching(/^[0-9]{1,6}(_[0-9]{1,3})?$/),
  user: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/)),
  name: fc.option(fc.string({ maxLength: 12 })),
  state: fc.constantFrom('RUNNING', 'COMPLETING', 'SUSPENDED'),
  startedAt: fc.option(fc.constant('2026-12-03T10:00:00')),
});
const slurmFactArb: fc.Arbitrary<Fact<SlurmNode> | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(unknown<SlurmNode>('slurm')),
  fc.record({ jobs: fc.array(jobArb, { maxLength: 3 }), drained: fc.boolean(), active: fc.subarray(['dubnium_compute', 'gpu']) }).map(({ jobs, drained, active }) =>
    known(node({ jobs, drained, states: drained ? ['IDLE', 'DRAIN'] : ['IDLE'], features: { available: ['dubnium_compute', 'gpu'], active } }), 'slurm'),
  ),
);
const jobsOrUnknown = (slurm: Fact<SlurmNode> | undefined): boolean => slurm === undefined || slurm.status === 'unknown' || slurm.value.jobs.length > 0;

describe('slurm-jobs-running, over random facts', () => {
  fcTest.prop([slurmFactArb, fc.constantFrom(...OBSERVED), fc.constantFrom(...MODES)], { numRuns: runs(400) })(
    'fails iff the switch leaves compute and jobs run or the fact is unknown; never when it does not leave compute',
    (slurm, from, target) => {
      const v = slurmJobsRunning(withSlurm(slurm), config, from, target)!;
      expect(v.code).toBe(SLURM_JOBS_RUNNING);
      expect(v.severity).toBe('hard');
      const leaving = from === 'compute' && target !== 'compute';
      expect(v.passed).toBe(!(leaving && jobsOrUnknown(slurm)));
      expect(v.missingFact !== null).toBe(leaving && (slurm === undefined || slurm.status === 'unknown'));
      // in a guard report it blocks (before the drain) exactly when the fact is missing
      const report = evaluateGuards(target, withSlurm(slurm), config, from, []);
      expect(GuardReport.safeParse(report).success).toBe(true);
      expect(report.verdicts.filter((x) => x.code === SLURM_JOBS_RUNNING)).toHaveLength(1);
      expect(blocksNow(v, { drained: false, force: false })).toBe(v.missingFact !== null);
      expect(blocksNow(v, { drained: true, force: false })).toBe(!v.passed);
      expect(blocksNow(v, { drained: true, force: true })).toBe(false);
    },
  );

  fcTest.prop([slurmFactArb, fc.constantFrom(...OBSERVED), fc.constantFrom(...MODES)], { numRuns: runs(200) })('slurm.enable false: never evaluated', (slurm, from, target) => {
    expect(slurmJobsRunning(withSlurm(slurm), off, from, target)).toBeNull();
    expect(evaluateGuards(target, withSlurm(slurm), off, from, []).verdicts.some((v) => v.code === SLURM_JOBS_RUNNING)).toBe(false);
  });

  fcTest.prop([slurmFactArb], { numRuns: runs(200) })('the wait holds exactly when the fact is known and lists no job', (slurm) => {
    const facts = withSlurm(slurm);
    expect(holds(workEnded(facts))).toBe(!jobsOrUnknown(slurm));
    expect(holds(waitCondition('work-ended', facts, config))).toBe(holds(workEnded(facts)));
    const drained = slurm !== undefined && slurm.status === 'known' && slurm.value.drained;
    expect(holds(workDrained(facts))).toBe(drained);
    const resumed = slurm !== undefined && slurm.status === 'known' && !slurm.value.drained;
    expect(holds(workResumed(facts, config))).toBe(resumed);
    const withFeature = slurmOn({ computeFeature: 'dubnium_compute' });
    expect(holds(workResumed(facts, withFeature))).toBe(resumed && slurm.value.features.active.includes('dubnium_compute'));
    expect(holds(waitCondition('work-resumed', facts, withFeature))).toBe(holds(workResumed(facts, withFeature)));
    expect(holds(waitCondition('work-drained', facts, config))).toBe(drained);
  });

  fcTest.prop([fc.constantFrom(...OBSERVED), fc.constantFrom(...MODES), fc.boolean()], { numRuns: runs(100) })('the drain is due once, when the switch leaves compute', (from, target, drained) => {
    expect(drainDue(config, from, target, drained)).toBe(from === 'compute' && target !== 'compute' && !drained);
    expect(drainDue(off, from, target, false)).toBe(false);
    expect(leavesCompute(from, target)).toBe(from === 'compute' && target !== 'compute');
  });
});

describe('slurm-jobs-running, examples', () => {
  const leaving = (slurm: Fact<SlurmNode> | undefined) => slurmJobsRunning(withSlurm(slurm), config, 'compute', 'desktop')!;

  it('names each job by id and user, and every job in the evidence', () => {
    const v = leaving(known(node({ jobs: [job('42', 'alice', { name: 'train', startedAt: '2026-12-03T10:00:00' }), job('43', null, { state: 'COMPLETING' })] }), 'slurm'));
    expect(v).toMatchObject({ passed: false, missingFact: null, message: 'Slurm job 42 (alice), 43 (user unknown) still runs on node ws01' });
    expect(v.evidence).toEqual([{ fact: 'slurm.jobs', source: { kind: 'simulated', name: 'slurm' }, lines: ['job 42 of alice (train) RUNNING since 2026-12-03T10:00:00', 'job 43 of ? COMPLETING'] }]);
  });

  it('passes with no job, naming that', () => {
    const v = leaving(known(node(), 'slurm'));
    expect(v).toMatchObject({ passed: true, message: 'no Slurm job runs on the node' });
    expect(v.evidence[0]?.lines).toEqual(['no job runs on node ws01']);
  });

  it('fails closed on an unknown fact, with the observer reason, and on an absent one', () => {
    expect(leaving(unknown('slurm'))).toMatchObject({ passed: false, missingFact: 'slurm', message: 'fails closed: the fact slurm could not be read (tool-failed: slurm failed in the test)' });
    expect(leaving(undefined)).toMatchObject({
      passed: false,
      missingFact: 'slurm',
      message: 'fails closed: the fact slurm was not observed: the observer collects it only when slurm.enable is true',
    });
  });

  it('after this run drained the node, it is leaving compute whatever the machine now looks like', () => {
    const jobs = withSlurm(known(node({ jobs: [job('5', 'eve')] }), 'slurm'));
    expect(slurmJobsRunning(jobs, config, 'degraded', 'desktop', true)).toMatchObject({ passed: false, message: 'Slurm job 5 (eve) still runs on node ws01' });
    expect(slurmJobsRunning(jobs, config, 'degraded', 'desktop', false)?.passed).toBe(true);
    expect(decide('desktop', jobs, config, undefined, { drained: true }).guards.verdicts.find((v) => v.code === SLURM_JOBS_RUNNING)?.passed).toBe(false);
  });

  it('not leaving compute: passes, saying why, even with jobs listed and even with the fact unknown', () => {
    for (const from of ['desktop', 'studio-local', 'degraded', 'unknown'] as const) {
      const v = slurmJobsRunning(withSlurm(unknown('slurm')), config, from, 'desktop')!;
      expect(v).toMatchObject({ passed: true, evidence: [], message: `the switch from ${from} does not leave compute: the node is drained outside compute, no job can be running` });
    }
    expect(slurmJobsRunning(withSlurm(known(node({ jobs: [job('1')] }), 'slurm')), config, 'compute', 'compute')?.passed).toBe(true);
  });

  it('decide() puts it right after the common guards, before the target guards', () => {
    const codes = decide('desktop', withSlurm(known(node({ jobs: [job('7')] }), 'slurm')), config).guards.verdicts.map((v) => v.code);
    expect(codes).toEqual(['units-not-loadable', 'vllm-will-stop', 'slurm-jobs-running', 'vllm-holder-left']);
  });

  it('blocksNow: any other failed hard guard blocks; soft or passed ones never', () => {
    const v = (patch: Partial<GuardVerdict>): GuardVerdict => ({ code: 'memory-headroom', severity: 'hard', passed: false, missingFact: null, message: 'm', evidence: [], ...patch });
    const stages = [
      { drained: false, force: false },
      { drained: true, force: true },
    ];
    for (const stage of stages) {
      expect(blocksNow(v({}), stage)).toBe(true);
      expect(blocksNow(v({ severity: 'soft' }), stage)).toBe(false);
      expect(blocksNow(v({ passed: true }), stage)).toBe(false);
      expect(blocksNow(v({ code: SLURM_JOBS_RUNNING, severity: 'soft' }), stage)).toBe(false);
    }
    expect(blocksNow(v({ code: SLURM_JOBS_RUNNING, missingFact: 'slurm' }), { drained: false, force: true })).toBe(false);
    const report: GuardReport = { schemaVersion: 1, target: 'desktop', from: 'compute', evaluatedAt: '2026-11-26T10:00:00.000Z', verdict: 'hard-block', verdicts: [v({ code: SLURM_JOBS_RUNNING }), v({ code: 'units-not-loadable' })] };
    expect(firstBlocking(report, { drained: false, force: false })?.code).toBe('units-not-loadable');
    expect(firstBlocking(report, { drained: true, force: false })?.code).toBe(SLURM_JOBS_RUNNING);
    expect(firstBlocking({ ...report, verdicts: [v({ code: SLURM_JOBS_RUNNING })] }, { drained: false, force: false })).toBeNull();
  });

  it('workLeftRunning: only a failed guard that --force waived', () => {
    const failedReport = decide('desktop', withSlurm(known(node({ jobs: [job('9', 'bob')] }), 'slurm')), config).guards;
    expect(workLeftRunning(failedReport, false)).toBeNull();
    expect(workLeftRunning(failedReport, true)).toEqual({
      code: 'slurm-jobs-left-running',
      message: '--force waived slurm-jobs-running: Slurm job 9 (bob) still runs on node ws01; no job was killed, each runs on until it ends',
      path: ['guards', 'slurm-jobs-running'],
      evidence: [{ fact: 'slurm.jobs', source: { kind: 'simulated', name: 'slurm' }, lines: ['job 9 of bob RUNNING'] }],
    });
    expect(workLeftRunning(decide('desktop', withSlurm(known(node(), 'slurm')), config).guards, true)).toBeNull();
  });
});

describe('the node state the Slurm steps prove', () => {
  it('drained, not drained, the feature: each conflict named', () => {
    const facts = (n: Partial<SlurmNode>) => withSlurm(known(node(n), 'slurm'));
    expect(workDrained(facts({ states: ['MIXED'] })).conflicts[0]).toMatchObject({ code: 'slurm-not-drained', message: 'node ws01 is not drained (State=MIXED)', path: ['slurm', 'drained'] });
    expect(workDrained(facts({ drained: true, states: ['IDLE', 'DRAIN'], reason: 'dubnium: desktop' })).evidence[0]?.lines).toEqual(['node ws01 State=IDLE+DRAIN Reason=dubnium: desktop']);
    expect(workDrained(facts({})).evidence[0]?.lines).toEqual(['node ws01 State=IDLE Reason=(none)']);
    expect(workResumed(facts({ drained: true, states: ['IDLE', 'DRAIN'], reason: 'maintenance' }), config).conflicts[0]).toMatchObject({
      code: 'slurm-drained',
      message: 'node ws01 is still drained (State=IDLE+DRAIN, Reason=maintenance)',
    });
    expect(workResumed(facts({ drained: true }), config).conflicts[0]?.message).toBe('node ws01 is still drained (State=IDLE, Reason=(none))');
    const feature = slurmOn({ computeFeature: 'dubnium_compute' });
    expect(workResumed(facts({ features: { available: ['dubnium_compute'], active: ['gpu'] } }), feature).conflicts[0]).toMatchObject({
      code: 'slurm-feature-missing',
      message: 'node ws01 does not carry the feature dubnium_compute',
      path: ['slurm', 'features', 'active'],
    });
    expect(workResumed(facts({ features: { available: [], active: ['a', 'b'] } }), config).evidence[0]?.lines).toEqual(['node ws01 State=IDLE ActiveFeatures=a,b']);
    expect(workResumed(facts({}), config).evidence[0]?.lines).toEqual(['node ws01 State=IDLE ActiveFeatures=(none)']);
    expect(workDrained(withSlurm(unknown('slurm'))).missing[0]?.code).toBe('fact-unknown');
    expect(workResumed(withSlurm(undefined), config).missing[0]?.path).toEqual(['slurm']);
  });

  it('jobLine: the optional parts only when Slurm gives them', () => {
    expect(jobLine(job('1', null))).toBe('job 1 of ? RUNNING');
    expect(jobLine(job('2', 'al', { name: 'x', startedAt: 'T' }))).toBe('job 2 of al (x) RUNNING since T');
  });
});

describe('when Slurm follows the mode the run settles in', () => {
  const drainedFacts = withSlurm(known(node({ drained: true }), 'slurm'));
  const resumedFacts = withSlurm(known(node(), 'slurm'));

  fcTest.prop([fc.constantFrom(...MODES), fc.constantFrom(...Outcome.options, null), fc.boolean()], { numRuns: runs(200) })('resumeDue over every outcome', (target, outcome, drained) => {
    const expected =
      outcome === 'succeeded' ? target === 'compute' : outcome === 'noop' ? target === 'compute' : drained && (outcome === 'blocked' || outcome === 'rolled-back');
    expect(resumeDue(config, target, outcome, drained, drainedFacts, 'compute')).toBe(expected);
    expect(resumeDue(off, target, outcome, drained, drainedFacts, 'compute')).toBe(false);
    // blocked after the drain on a machine no longer classified compute: nothing to resume for
    expect(resumeDue(config, target, outcome, drained, drainedFacts, 'degraded')).toBe(expected && outcome !== 'blocked');
  });

  it('a noop resumes only a node that is not observed resumed', () => {
    expect(resumeDue(config, 'compute', 'noop', false, resumedFacts, 'compute')).toBe(false);
    expect(resumeDue(config, 'compute', 'noop', false, withSlurm(unknown('slurm')), 'compute')).toBe(true);
    expect(resumeDue(config, 'compute', 'noop', false, null, 'compute')).toBe(false);
    expect(resumeDue(config, 'desktop', 'succeeded', true, drainedFacts, 'compute')).toBe(false);
  });
});

describe('the Slurm steps', () => {
  it('drain, wait and resume, with their bounds', () => {
    expect(drainWorkStep('studio-local')).toEqual({
      id: 'drain-slurm-node',
      description: 'drain the Slurm node (reason "dubnium: studio-local"): no new job lands, running jobs go on',
      action: { kind: 'drain-work', reason: 'dubnium: studio-local' },
      inverse: { kind: 'resume-work' },
      losses: [],
    });
    expect(awaitWorkStep(slurmOn({ drainWaitSeconds: 90 }))).toMatchObject({ id: 'wait-slurm-jobs-ended', description: 'wait up to 90 s for the Slurm jobs on the node to end', action: { kind: 'wait', until: 'work-ended', timeoutMs: 90_000 }, inverse: null });
    expect(awaitWorkStep(slurmOn({ drainWaitSeconds: 0 })).action).toMatchObject({ timeoutMs: 0 });
    expect(resumeWorkStep(config)).toMatchObject({ id: 'resume-slurm-node', description: 'resume the Slurm node: jobs may land again', action: { kind: 'resume-work' }, inverse: null, losses: [] });
    expect(resumeWorkStep(slurmOn({ computeFeature: 'gpu_x' })).description).toBe('resume the Slurm node and set its feature gpu_x: jobs may land again');
    expect(workStep('drain', config, 'desktop').id).toBe('drain-slurm-node');
    expect(workStep('await', config, 'desktop').action).toMatchObject({ timeoutMs: 600_000 });
    expect(workStep('resume', config, 'compute').id).toBe('resume-slurm-node');
    const seconds = slurmOn({ commandTimeoutSeconds: 7 });
    expect(workProof({ kind: 'drain-work', reason: 'r' }, seconds)).toEqual({ kind: 'wait', until: 'work-drained', timeoutMs: 7000 });
    expect(workProof({ kind: 'resume-work' }, seconds)).toEqual({ kind: 'wait', until: 'work-resumed', timeoutMs: 7000 });
    expect(stepTimeoutMs({ kind: 'resume-work' }, seconds)).toBe(28_000);
    expect(stepTimeoutMs({ kind: 'drain-work', reason: 'r' }, seconds)).toBe(28_000);
  });

  it('the wait for jobs polls every 5 s, or slower when the config polls slower; other waits keep the config', () => {
    const wait = { kind: 'wait', until: 'work-ended', timeoutMs: 1 } as const;
    expect(pollMs(wait, withConfig((c) => { c.thresholds.pollIntervalMs = 500; }))).toBe(WORK_POLL_MS);
    expect(pollMs(wait, withConfig((c) => { c.thresholds.pollIntervalMs = 9000; }))).toBe(9000);
    expect(pollMs({ ...wait, until: 'work-resumed' }, withConfig((c) => { c.thresholds.pollIntervalMs = 500; }))).toBe(500);
    expect(WORK_POLL_MS).toBe(5000);
  });

  it('workSteps: what mode explain lists around the plan', () => {
    expect(workSteps(off, 'compute', 'desktop')).toEqual({ before: [], after: [] });
    expect(workSteps(config, 'compute', 'compute')).toEqual({ before: [], after: [] });
    expect(workSteps(config, 'compute', 'desktop').before.map((s) => s.id)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended']);
    expect(workSteps(config, 'compute', 'desktop').after).toEqual([]);
    expect(workSteps(config, 'desktop', 'compute')).toEqual({ before: [], after: [resumeWorkStep(config)] });
    expect(workSteps(config, 'desktop', 'studio-local')).toEqual({ before: [], after: [] });
    expect(decide('desktop', withSlurm(known(node(), 'slurm')), config).work.before).toHaveLength(2);
  });
});

describe('the slurm checks, shape for shape (what mode explain and the record cite)', () => {
  const shape = (c: ReturnType<typeof workEnded>) => [...c.conflicts, ...c.missing].map((r) => ({ code: r.code, message: r.message, path: r.path, evidence: r.evidence.map((e) => [e.fact, ...e.lines]) }));

  it('a fact that was not collected says why', () => {
    expect(shape(workEnded(withSlurm(undefined)))).toEqual([
      { code: 'fact-unknown', message: 'the fact slurm was not observed: the observer collects it only when slurm.enable is true', path: ['slurm'], evidence: [] },
    ]);
  });

  it('jobs, drain and resume each cite their part of the node', () => {
    expect(shape(workEnded(withSlurm(known(node({ jobs: [job('42')] }), 'slurm'))))).toEqual([
      { code: SLURM_JOBS_RUNNING, message: 'Slurm job 42 (alice) still runs on node ws01', path: ['slurm', 'jobs'], evidence: [['slurm.jobs', 'job 42 of alice RUNNING']] },
    ]);
    expect(shape(workDrained(withSlurm(known(node({ states: ['MIXED'] }), 'slurm'))))).toEqual([
      { code: 'slurm-not-drained', message: 'node ws01 is not drained (State=MIXED)', path: ['slurm', 'drained'], evidence: [['slurm.drained', 'node ws01 State=MIXED Reason=(none)']] },
    ]);
    const drained = known(node({ states: ['IDLE', 'DRAIN'], drained: true, reason: 'dubnium: desktop' }), 'slurm');
    expect(workDrained(withSlurm(drained)).evidence.map((e) => [e.fact, ...e.lines])).toEqual([['slurm.drained', 'node ws01 State=IDLE+DRAIN Reason=dubnium: desktop']]);
    expect(shape(workResumed(withSlurm(drained), config))).toEqual([
      { code: 'slurm-drained', message: 'node ws01 is still drained (State=IDLE+DRAIN, Reason=dubnium: desktop)', path: ['slurm', 'drained'], evidence: [['slurm', 'node ws01 State=IDLE+DRAIN ActiveFeatures=(none)']] },
    ]);
  });

  it('a noop resumes only into compute; an unproven or interrupted run that drained never does', () => {
    const stillDrained = withSlurm(known(node({ drained: true, states: ['IDLE', 'DRAIN'] }), 'slurm'));
    expect(resumeDue(config, 'compute', 'noop', false, stillDrained, 'compute')).toBe(true);
    expect(resumeDue(config, 'desktop', 'noop', false, stillDrained, 'desktop')).toBe(false);
    for (const outcome of ['interrupted', 'degraded', 'canceled'] as const) expect(resumeDue(config, 'desktop', outcome, true, stillDrained, 'compute'), outcome).toBe(false);
    expect(resumeDue(config, 'desktop', 'blocked', true, stillDrained, 'compute')).toBe(true);
    expect(resumeDue(config, 'desktop', 'blocked', true, stillDrained, 'degraded')).toBe(false);
  });
});
