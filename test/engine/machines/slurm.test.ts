// Slurm follows the mode (issue 15) on the simulated host: leaving compute
// drains the node and waits (bounded) for its jobs, which block the switch at
// the bound unless --force; entering compute resumes the node once compute is
// proven and proves the resume by observing. Time is the run's simulated
// clock, so the 600 s bound is measured, not waited for.
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import type { Config } from '../../../schemas/config.ts';
import type { StepRecord, TransitionRecord } from '../../../schemas/records.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import type { SlurmInit } from '../../../simulation/slurm.ts';
import { withConfig } from '../support/config.ts';
import { schemaErrors } from '../support/schema.ts';

const slurmConfig = (patch: Partial<Config['slurm']> = {}): Config =>
  withConfig((c) => {
    c.slurm = { ...c.slurm, enable: true, nodeName: 'ws01', ...patch };
  });
const config = slurmConfig();
const host = (slurm: SlurmInit, options: Partial<SimulatedHostOptions> = {}, cfg: Config = config) => new SimulatedHost({ config: cfg, mode: 'compute', slurm: { node: 'ws01', ...slurm }, ...options });
const alice = { id: '42', user: 'alice', name: 'train' };
const bob = { id: '43', user: 'bob', name: null };
const step = (record: TransitionRecord, id: string): StepRecord | undefined => record.steps.find((s) => s.stepId === id);
const verdict = (record: TransitionRecord, code = 'slurm-jobs-running') => record.guards?.verdicts.find((v) => v.code === code);
const force = (h: SimulatedHost, mode: 'desktop' | 'studio-local') => {
  h.desired = { ...h.request(mode), force: true };
};

describe('leaving compute on a Slurm node', () => {
  it('another hard guard blocks at once, before any drain: the outcome counts it alone, not the jobs that would have been waited for', async () => {
    const remoteStudio = slurmConfig();
    remoteStudio.capabilityPlacement.studio = 'remote';
    const h = host({ jobs: [{ ...alice, runsForMs: 10_000_000 }] }, {}, remoteStudio);
    const record = await runController(h, 'studio-local');
    expect([record.outcome, record.steps, h.slurm.calls]).toEqual(['blocked', [], []]);
    expect(verdict(record)).toMatchObject({ passed: false, missingFact: null });
    expect(h.audit.filter((e) => e.event === 'outcome').map((e) => e.detail?.blockedBy)).toEqual([['studio-not-local']]);
  });

  it('no job runs: drains with reason "dubnium: desktop", proves the drain, then switches; the node stays drained', async () => {
    const h = host({});
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    expect(schemaErrors('transition-record', record)).toEqual([]);
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop']);
    expect(h.slurm.drained).toBe(true);
    expect(h.slurm.reason).toBe('dubnium: desktop');
    expect(record.steps.map((s) => s.stepId).slice(0, 3)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended', 'stop-vllm-ready-service']);
    const drain = step(record, 'drain-slurm-node')!;
    expect(drain).toMatchObject({ ok: true, phase: 'apply', action: { kind: 'drain-work', reason: 'dubnium: desktop' } });
    expect(drain.message).toBe('node ws01 drained (reason "dubnium: desktop"); work-drained after 1 observation(s)');
    expect(drain.commands[0]?.argv).toEqual(['scontrol', 'update', 'nodename=ws01', 'state=drain', 'reason=dubnium: desktop']);
    expect(drain.durationMs).toBeGreaterThan(0);
    expect(step(record, 'wait-slurm-jobs-ended')).toMatchObject({ ok: true, message: 'work-ended after 1 observation(s)', action: { kind: 'wait', until: 'work-ended', timeoutMs: 600_000 } });
    expect(verdict(record)).toMatchObject({ passed: true, severity: 'hard', message: 'no Slurm job runs on the node' });
    expect(record.warnings).toBeUndefined();
    // the drain and the wait are journaled like plan steps
    expect(h.audit.filter((e) => e.event === 'step').map((e) => e.reason?.split(':')[0])).toEqual(expect.arrayContaining(['apply drain-slurm-node', 'apply wait-slurm-jobs-ended']));
    expect(h.intents.map((i) => i.step).slice(0, 2)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended']);
  });

  it('jobs that end within drainWaitSeconds: it waits, re-observing every 5 s, and then switches', async () => {
    const h = host({ jobs: [{ ...alice, runsForMs: 95_000 }] });
    const record = await runController(h, 'studio-local');
    expect(record.outcome).toBe('succeeded');
    expect(h.slurm.calls).toEqual(['drain dubnium: studio-local']);
    const wait = step(record, 'wait-slurm-jobs-ended')!;
    expect(wait.ok).toBe(true);
    // the job ends 95 s after the start: about 19 polls of 5 s after the drain
    expect(wait.durationMs).toBeGreaterThanOrEqual(90_000);
    expect(wait.durationMs).toBeLessThanOrEqual(100_000);
    expect(wait.message).toMatch(/^work-ended after (19|20) observation\(s\)$/);
    expect(verdict(record)).toMatchObject({ passed: true });
    expect(record.finalObservation?.mode).toBe('studio-local');
  });

  it('jobs still running at the bound: blocked by slurm-jobs-running naming job ids and users; the node is resumed, as compute stays', async () => {
    const h = host({ jobs: [alice, bob] });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(schemaErrors('transition-record', record)).toEqual([]);
    expect(h.performed).toEqual([]);
    expect(record.firstFailedPredicate).toMatchObject({ code: 'slurm-jobs-running', path: ['guards', 'slurm-jobs-running'] });
    expect(record.firstFailedPredicate?.message).toBe('Slurm job 42 (alice), 43 (bob) still runs on node ws01');
    expect(verdict(record)).toMatchObject({ passed: false, severity: 'hard', missingFact: null });
    expect(verdict(record)?.evidence[0]?.lines).toEqual([expect.stringMatching(/^job 42 of alice \(train\) RUNNING since /), expect.stringMatching(/^job 43 of bob RUNNING since /)]);
    const wait = step(record, 'wait-slurm-jobs-ended')!;
    expect(wait.ok).toBe(false);
    expect(wait.message).toMatch(/^work-ended did not hold within 600000 ms \(\d+ observations\): Slurm job 42 \(alice\), 43 \(bob\) still runs on node ws01$/);
    expect(wait.durationMs).toBe(600_000);
    // Slurm follows the mode the machine stays in, proven by observing
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop', 'resume']);
    expect(h.slurm.drained).toBe(false);
    expect(step(record, 'resume-slurm-node')).toMatchObject({ ok: true, message: 'node ws01 resumed; work-resumed after 1 observation(s)' });
    expect(record.finalObservation).toBeNull();
    expect(h.audit.find((e) => e.event === 'outcome')?.detail).toMatchObject({ blockedBy: ['slurm-jobs-running'] });
    expect(h.slurm.running(h.clock.monotonicMs()).map((j) => j.id)).toEqual(['42', '43']);
  });

  it('a job that ends exactly at the bound is waited for; one that ends a poll later blocks', async () => {
    const wait = 60;
    const at = (runsForMs: number) => runController(host({ jobs: [{ ...alice, runsForMs }] }, {}, slurmConfig({ drainWaitSeconds: wait })), 'desktop');
    // the drain ends 40 ms after the guards (one simulated scontrol call), and the wait's deadline is drainWaitSeconds after that
    const inTime = await at(wait * 1000);
    expect(inTime.outcome).toBe('succeeded');
    const late = await at(wait * 1000 + 6000);
    expect(late.outcome).toBe('blocked');
    expect(step(late, 'wait-slurm-jobs-ended')?.durationMs).toBe(wait * 1000);
  });

  it('vLLM dies during the wait and a job still runs: blocked all the same (the run drained, so it is leaving compute); a degraded machine is not resumed', async () => {
    const h = host({ jobs: [alice] });
    void h.clock.sleep(10_000).then(() => h.world.markFailed('vllm.service'));
    const record = await runController(h, 'desktop');
    expect(record.from?.mode).toBe('degraded');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('slurm-jobs-running');
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop']);
    expect(h.slurm.drained).toBe(true);
  });

  it('vLLM dies during the wait and the jobs end: the switch goes on from degraded', async () => {
    const h = host({ jobs: [{ ...alice, runsForMs: 30_000 }] });
    void h.clock.sleep(10_000).then(() => h.world.markFailed('vllm.service'));
    const record = await runController(h, 'desktop');
    expect(record.from?.mode).toBe('degraded');
    expect(record.outcome).toBe('succeeded');
    expect(verdict(record)?.passed).toBe(true);
  });

  it('drainWaitSeconds 0: one observation decides', async () => {
    const record = await runController(host({ jobs: [alice] }, {}, slurmConfig({ drainWaitSeconds: 0 })), 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(step(record, 'wait-slurm-jobs-ended')).toMatchObject({ ok: false, durationMs: 0, action: { timeoutMs: 0 } });
    expect(step(record, 'wait-slurm-jobs-ended')?.message).toMatch(/\(1 observations\)/);
  });

  it('--force: drains, does not wait, switches; no job killed, the record names the jobs left running', async () => {
    const h = host({ jobs: [alice, bob] });
    force(h, 'desktop');
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    expect(schemaErrors('transition-record', record)).toEqual([]);
    expect(record.steps.some((s) => s.stepId === 'wait-slurm-jobs-ended')).toBe(false);
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop']);
    expect(record.warnings).toEqual([
      expect.objectContaining({
        code: 'slurm-jobs-left-running',
        message: '--force waived slurm-jobs-running: Slurm job 42 (alice), 43 (bob) still runs on node ws01; no job was killed, each runs on until it ends',
        path: ['guards', 'slurm-jobs-running'],
      }),
    ]);
    expect(h.slurm.running(h.clock.monotonicMs()).map((j) => j.id)).toEqual(['42', '43']);
  });

  it('slurmctld unreachable: blocked at once, failing closed with the reason; nothing drained or touched', async () => {
    const h = host({ reachable: false, jobs: [alice] });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(h.slurm.calls).toEqual([]);
    expect(h.performed).toEqual([]);
    expect(record.steps).toEqual([]);
    expect(verdict(record)).toMatchObject({ passed: false, missingFact: 'slurm' });
    expect(record.firstFailedPredicate?.message).toBe(
      'fails closed: the fact slurm could not be read (tool-failed: slurm_load_node error: Unable to contact slurm controller (connect failure))',
    );
  });

  it('slurmctld unreachable with --force: the failed drain is recorded and the switch goes on', async () => {
    const h = host({ reachable: false });
    force(h, 'desktop');
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    expect(step(record, 'drain-slurm-node')).toMatchObject({ ok: false, message: 'slurmctld cannot be reached: slurm_update error: Unable to contact slurm controller (connect failure)' });
    expect(step(record, 'drain-slurm-node')?.commands[0]).toMatchObject({ exitCode: 1, stderr: ['slurm_update error: Unable to contact slurm controller (connect failure)'] });
    expect(record.warnings?.[0]?.message).toMatch(/^--force waived slurm-jobs-running: fails closed: the fact slurm could not be read/);
  });

  it('a drain that fails without --force blocks, and the node is resumed (slurmctld went away after the guards)', async () => {
    const h = host({});
    const drain = h.slurm.drain.bind(h.slurm);
    h.slurm.drain = (reason, clock, signal) => {
      h.slurm.reachable = false;
      return drain(reason, clock, signal);
    };
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'step-failed' });
    expect(record.firstFailedPredicate?.message).toContain('step drain-slurm-node (drain the Slurm node (reason "dubnium: desktop"): no new job lands, running jobs go on) failed: slurmctld cannot be reached');
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop', 'resume']);
    expect(step(record, 'resume-slurm-node')?.ok).toBe(false);
    expect(record.warnings?.map((w) => w.code)).toEqual(['slurm-resume-unproven']);
    expect(record.warnings?.[0]?.message).toMatch(/^the machine stays in compute, but the resume of the Slurm node was not observed \(slurmctld cannot be reached/);
    expect(h.performed).toEqual([]);
  });

  it('a step of the switch fails after the drain: rolled back to compute, and the node is resumed', async () => {
    const h = host({}, { faults: { failStop: ['vllm.service'] } });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('rolled-back');
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop', 'resume']);
    expect(h.slurm.drained).toBe(false);
    expect(step(record, 'resume-slurm-node')?.ok).toBe(true);
  });

  it('a rollback that does not prove compute leaves the node drained (degraded)', async () => {
    const h = host({}, { faults: { failStop: ['vllm.service'], failStart: ['vllm-ready.service'] } });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('degraded');
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop']);
    expect(h.slurm.drained).toBe(true);
  });

  it('asked to stop while waiting for jobs: it stops at once, the node stays drained, the intent stays for the next run', async () => {
    const h = host({ jobs: [alice] });
    const stop = new AbortController();
    void h.clock.sleep(30_000).then(() => stop.abort());
    const record = await runController(h, 'desktop', { signal: stop.signal });
    expect(record.outcome).toBe('interrupted');
    expect(step(record, 'wait-slurm-jobs-ended')?.message).toMatch(/^abandoned after \d+ ms: the run was asked to stop and stopped waiting$/);
    expect(h.slurm.drained).toBe(true);
    expect(h.intent?.step).toBe('wait-slurm-jobs-ended');
  });
});

describe('the way back to desktop from a mode other than compute', () => {
  it('slurmctld unreachable from studio-local: not blocked, the guard passes, nothing is asked of Slurm', async () => {
    const h = host({ reachable: false }, { mode: 'studio-local' });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    expect(verdict(record)).toMatchObject({ passed: true, message: 'the switch from studio-local does not leave compute: the node is drained outside compute, no job can be running' });
    expect(h.slurm.calls).toEqual([]);
  });

  it('jobs listed from degraded: the guard does not block either', async () => {
    const h = host({ jobs: [alice] }, { mode: 'desktop', sliceWeights: { 'ai.slice': { cpuWeight: 7, ioWeight: 7 } } });
    const record = await runController(h, 'desktop');
    expect(record.from?.mode).toBe('degraded');
    expect(record.outcome).toBe('succeeded');
    expect(h.slurm.calls).toEqual([]);
  });

  it('slurm.enable false: the guard is not evaluated and Slurm never asked', async () => {
    const h = host({ reachable: false, jobs: [alice] }, {}, slurmConfig({ enable: false }));
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    expect(verdict(record)).toBeUndefined();
    expect(h.slurm.calls).toEqual([]);
    expect(record.steps.some((s) => s.stepId.includes('slurm'))).toBe(false);
  });
});

describe('entering compute on a Slurm node', () => {
  const drainedDesktop = (slurm: SlurmInit = {}, cfg: Config = config) => host({ drained: true, reason: 'dubnium: desktop', ...slurm }, { mode: 'desktop' }, cfg);

  it('resumes the node once compute is proven, sets the feature, and proves it by observing', async () => {
    const cfg = slurmConfig({ computeFeature: 'dubnium_compute' });
    const h = drainedDesktop({}, cfg);
    h.request('compute');
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(schemaErrors('transition-record', record)).toEqual([]);
    expect(record.steps.at(-1)).toMatchObject({ stepId: 'resume-slurm-node', ok: true, action: { kind: 'resume-work' } });
    expect(record.steps.at(-1)?.commands[0]?.argv).toEqual(['scontrol', 'update', 'nodename=ws01', 'state=resume']);
    expect(h.slurm.drained).toBe(false);
    expect(h.slurm.active).toEqual(['dubnium_compute']);
    // after the verifying observation: compute was proven before the node was resumed
    const verified = record.phases.findIndex((p) => p.name === 'verify');
    expect(verified).toBeGreaterThan(-1);
    expect(record.warnings).toBeUndefined();
    // a job submitted now lands
    expect(h.slurm.submit({ id: '50', user: 'carol' }, h.clock.monotonicMs())).toBe(true);
  });

  it('a resume that is not observed: succeeded (compute is proven) with the slurm-resume-unproven warning', async () => {
    const h = drainedDesktop({ resumeDoesNotTake: true });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.firstFailedPredicate).toBeNull();
    const resume = step(record, 'resume-slurm-node')!;
    expect(resume.ok).toBe(false);
    expect(resume.message).toMatch(/^node ws01 resumed; work-resumed did not hold within 10000 ms \(\d+ observations\): node ws01 is still drained \(State=IDLE\+DRAIN, Reason=dubnium: desktop\)$/);
    expect(record.warnings).toHaveLength(1);
    expect(record.warnings?.[0]).toMatchObject({ code: 'slurm-resume-unproven', path: ['steps', 'resume-slurm-node'] });
    expect(record.warnings?.[0]?.message).toBe(
      `compute is proven, but the resume of the Slurm node was not observed (${resume.message}); no job lands on it until it is resumed: request compute again or run scontrol update state=resume`,
    );
    expect(record.warnings?.[0]?.evidence[0]?.lines).toEqual(['node ws01 State=IDLE+DRAIN ActiveFeatures=(none)']);
    expect(schemaErrors('transition-record', record)).toEqual([]);
  });

  it('slurmctld unreachable on the way in: the mode is reached, the warning names the unreachable controller', async () => {
    const h = drainedDesktop({ reachable: false });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(verdict(record)).toMatchObject({ passed: true });
    expect(record.warnings?.[0]?.message).toContain('slurmctld cannot be reached');
  });

  it('already in compute but drained (a run that died after its drain): the noop resumes the node', async () => {
    const h = host({ drained: true, reason: 'dubnium: desktop' });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('noop');
    expect(h.slurm.calls).toEqual(['resume']);
    expect(step(record, 'resume-slurm-node')?.ok).toBe(true);
  });

  it('already in compute and resumed: the noop asks Slurm nothing', async () => {
    const h = host({});
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('noop');
    expect(h.slurm.calls).toEqual([]);
    expect(record.steps).toEqual([]);
  });

  it('a host without a workload adapter: the resume step fails and says so', async () => {
    const h = drainedDesktop();
    Object.defineProperty(h, 'resumeWork', { value: undefined });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(step(record, 'resume-slurm-node')?.message).toBe('this host has no workload manager adapter to resume the node with');
  });
});
