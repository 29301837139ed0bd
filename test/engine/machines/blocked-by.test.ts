// Which guards the outcome line of the audit log says blocked a run (what
// dubnium_guard_blocks_total counts): every hard guard the decision judged as
// blocking, slurm-jobs-running only once the node was drained and never when
// --force waived it, and the run's own failure when no guard blocked.
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import type { Config } from '../../../schemas/config.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import type { SlurmInit } from '../../../simulation/slurm.ts';
import { DEFAULT_USER_SESSION } from '../../../simulation/world.ts';
import { withConfig, workstationConfig as config } from '../support/config.ts';

const slurmConfig: Config = withConfig((c) => {
  c.slurm = { ...c.slurm, enable: true, nodeName: 'ws01' };
});
const alice = { id: '42', user: 'alice', name: 'train' };
const onSlurm = (slurm: SlurmInit, options: Partial<SimulatedHostOptions> = {}) => new SimulatedHost({ config: slurmConfig, mode: 'compute', slurm: { node: 'ws01', ...slurm }, ...options });
const blockedBy = (h: SimulatedHost) => h.audit.filter((e) => e.event === 'outcome').map((e) => e.detail?.blockedBy);

describe('the guards an outcome says blocked it', () => {
  it('every hard guard that blocked, not only the first', async () => {
    const h = new SimulatedHost({
      config,
      audioProcesses: [{ pid: 5000, name: 'reaper' }],
      memory: { memTotalKiB: 64 * 1024 * 1024, memAvailableKiB: 1024 },
    });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('audio-active');
    expect(blockedBy(h)).toEqual([['audio-active', 'memory-headroom']]);
  });

  it('no guard report (the observation failed): the run’s own failure', async () => {
    const h = new SimulatedHost({ config });
    h.observe = () => Promise.reject(new Error('EIO reading /proc'));
    await runController(h, 'studio-local');
    expect(blockedBy(h)).toEqual([['observe-failed']]);
  });

  it('a run that was not blocked names none', async () => {
    const h = new SimulatedHost({ config, sessions: [{ ...DEFAULT_USER_SESSION }] });
    await runController(h, 'studio-local');
    expect(blockedBy(h)).toEqual([[]]);
  });

  it('a drain that failed while jobs run: the failed step, not the jobs it never waited for (the node was not drained)', async () => {
    const h = onSlurm({ jobs: [alice] });
    const drain = h.slurm.drain.bind(h.slurm);
    h.slurm.drain = async (reason, clock, signal) => {
      h.slurm.reachable = false;
      const result = await drain(reason, clock, signal);
      h.slurm.reachable = true;
      return result;
    };
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.steps.map((s) => [s.stepId, s.ok])).toEqual([
      ['drain-slurm-node', false],
      ['resume-slurm-node', true],
    ]);
    expect(blockedBy(h)).toEqual([['step-failed']]);
  });

  it('--force waived the jobs and another guard blocked after the drain: that guard alone', async () => {
    const h = onSlurm({ jobs: [alice] }, { faults: { unknownFacts: [{ fact: 'units', fromObservation: 2 }] } });
    h.desired = { ...h.request('desktop'), force: true };
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.steps.find((s) => s.stepId === 'drain-slurm-node')?.ok).toBe(true);
    expect(record.warnings?.map((w) => w.code)).toContain('slurm-jobs-left-running');
    expect(blockedBy(h)).toEqual([[record.firstFailedPredicate?.code]]);
    expect(blockedBy(h)[0]).not.toContain('slurm-jobs-running');
  });

  it('after the drain, jobs still running block beside any other guard that blocks', async () => {
    const cfg = withConfig((c) => {
      c.slurm = { ...c.slurm, enable: true, nodeName: 'ws01', drainWaitSeconds: 0 };
    });
    const h = new SimulatedHost({ config: cfg, mode: 'compute', slurm: { node: 'ws01', jobs: [{ ...alice, runsForMs: 10_000_000 }] }, faults: { unknownFacts: [{ fact: 'units', fromObservation: 2 }] } });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.steps.find((s) => s.stepId === 'drain-slurm-node')?.ok).toBe(true);
    expect(blockedBy(h)).toEqual([['units-not-loadable', 'slurm-jobs-running']]);
  });
});
