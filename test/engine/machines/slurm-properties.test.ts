// Slurm follows the mode, over random Slurm nodes (jobs that end at random
// times or never, slurmctld up or down, a resume that does or does not take,
// drained or not), random start modes, targets and --force, on the simulated
// host. What must hold for every run is checked against the record and the
// simulated Slurm's own state.
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import type { Config } from '../../../schemas/config.ts';
import { MODES } from '../../../schemas/modes.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { withConfig } from '../support/config.ts';
import { runs } from '../support/runs.ts';
import { schemaErrors } from '../support/schema.ts';

const config: Config = withConfig((c) => {
  c.slurm = { ...c.slurm, enable: true, nodeName: 'ws01', drainWaitSeconds: 120, computeFeature: 'dubnium_compute' };
});

const jobArb = fc.record({
  id: fc.integer({ min: 1, max: 9999 }).map(String),
  user: fc.constantFrom('alice', 'bob'),
  runsForMs: fc.option(fc.integer({ min: 1, max: 300_000 }), { nil: null }),
});
const worldArb = fc.record({
  mode: fc.constantFrom(...MODES),
  target: fc.constantFrom(...MODES),
  force: fc.boolean(),
  jobs: fc.uniqueArray(jobArb, { maxLength: 3, selector: (j) => j.id }),
  reachable: fc.boolean(),
  resumeDoesNotTake: fc.boolean(),
  drained: fc.boolean(),
});

describe('Slurm follows the mode, over random nodes', () => {
  fcTest.prop([worldArb], { numRuns: runs(60) })('guarded, drained, resumed as the mode says; never a job killed; records conform', async (w) => {
    const h = new SimulatedHost({
      config,
      mode: w.mode,
      sessions: w.mode === 'compute' ? [] : undefined,
      slurm: { node: 'ws01', jobs: w.jobs, reachable: w.reachable, resumeDoesNotTake: w.resumeDoesNotTake, drained: w.drained, reason: w.drained ? 'dubnium: desktop' : null },
    });
    h.desired = { ...h.request(w.target), force: w.force };
    const record = await runController(h, w.target);
    expect(schemaErrors('transition-record', record)).toEqual([]);
    const now = h.clock.monotonicMs();
    const leaving = record.from?.mode === 'compute' && w.target !== 'compute';
    const verdict = record.guards?.verdicts.find((v) => v.code === 'slurm-jobs-running');
    const drainedByRun = h.slurm.calls.some((c) => c.startsWith('drain'));

    // the guard and the drain belong to leaving compute only
    if (!leaving) {
      expect(drainedByRun).toBe(false);
      if (verdict) expect(verdict.passed).toBe(true);
      expect(record.firstFailedPredicate?.code).not.toBe('slurm-jobs-running');
    }
    // leaving compute without --force: unknown fails closed before anything is asked; a switch that went ahead found no job running
    if (leaving && !w.force) {
      if (!w.reachable) {
        expect(record.outcome).toBe('blocked');
        expect(h.slurm.calls).toEqual([]);
      }
      if (record.outcome === 'succeeded') expect(verdict?.passed).toBe(true);
      // blocked by jobs only when some still run (or none could be listed)
      if (record.outcome === 'blocked' && record.firstFailedPredicate?.code === 'slurm-jobs-running' && w.reachable) expect(h.slurm.running(now).length).toBeGreaterThan(0);
    }
    if (leaving && record.outcome !== 'blocked') expect(h.slurm.calls[0]).toBe(`drain dubnium: ${w.target}`);
    // --force never blocks on jobs, and names what it waived
    if (w.force) expect(record.firstFailedPredicate?.code).not.toBe('slurm-jobs-running');
    if (w.force && verdict && !verdict.passed) expect(record.warnings?.map((x) => x.code)).toContain('slurm-jobs-left-running');
    // Slurm follows the mode the run proved: compute reached or kept after a drain means resumed, when Slurm lets it
    const resumable = w.reachable && !w.resumeDoesNotTake;
    const inCompute = (record.outcome === 'succeeded' && w.target === 'compute') || (drainedByRun && (record.outcome === 'blocked' || record.outcome === 'rolled-back'));
    const resumedNow = !h.slurm.drained && h.slurm.active.includes('dubnium_compute');
    const warned = (record.warnings ?? []).some((x) => x.code === 'slurm-resume-unproven');
    if (inCompute && resumable) expect(resumedNow).toBe(true);
    // a node that is not resumed, or cannot be seen to be, is never passed over in silence
    if (inCompute && (!resumedNow || !w.reachable)) expect(warned).toBe(true);
    if (warned) expect(resumable).toBe(false);
    if (record.outcome === 'succeeded' && w.target !== 'compute' && leaving && w.reachable) expect(h.slurm.drained).toBe(true);
    // a switch never ends a job: every job whose time has not come still runs
    const due = w.jobs.filter((j) => j.runsForMs === null || j.runsForMs > now).map((j) => j.id);
    expect(h.slurm.running(now).map((j) => j.id)).toEqual(due);
  });
});
