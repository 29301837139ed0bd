// `mode explain` on a Slurm node: it predicts what a run does about the
// node's jobs (drain and wait, or fail closed), lists the Slurm steps around
// the plan, and its prediction matches a real run on the simulated host.
import { describe, expect, it } from 'vitest';
import { explainModel } from '../../cli/explain/model.ts';
import { renderExplain } from '../../cli/explain/text.ts';
import { viewOf } from '../../cli/live.ts';
import { paint } from '../../cli/color.ts';
import { runController } from '../../machines/run-controller.ts';
import { Config } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import type { SlurmInit } from '../../simulation/slurm.ts';
import { readFileSync } from 'node:fs';
import { schemaErrors } from './support/schema.ts';

const base = JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const config = Config.parse({ ...base, slurm: { enable: true, nodeName: 'ws01', computeFeature: null, drainWaitSeconds: 600, commandTimeoutSeconds: 10 } });

async function explainOn(mode: ModeName, slurm: SlurmInit, target: ModeName) {
  const host = () => new SimulatedHost({ config, mode, sessions: [], slurm: { node: 'ws01', ...slurm } });
  const e = explainModel(viewOf(config, await host().observe(), target), target);
  return { e, record: await runController(host(), target) };
}

describe('mode explain on a Slurm node', () => {
  it('compute -> desktop with a job running: the run drains and waits; the steps begin with the drain and the wait', async () => {
    const { e, record } = await explainOn('compute', { jobs: [{ id: '42', user: 'alice', runsForMs: 30_000 }] }, 'desktop');
    expect(schemaErrors('cli-explain', e)).toEqual([]);
    expect(e.runNow).toBe('apply');
    expect(e.path.some((s) => s.when === 'now' && s.edge.guard === 'drainDue')).toBe(true);
    expect(e.plan.slice(0, 2).map((s) => s.id)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended']);
    // after the drain the path predicts the wait, a fresh observation, and the plan applied
    const predicted = e.path.filter((s) => s.when === 'predicted').map((s) => `${s.edge.from.replace('modeController.', '')}>${s.edge.to.replace('modeController.', '')}`);
    expect(predicted).toEqual(expect.arrayContaining(['draining>awaitingWork', 'awaitingWork>observing', 'guarding>writingIntent']));
    expect(e.path.at(-1)?.edge.to).toBe('modeController.done');
    expect(e.guards.verdicts.find((v) => v.code === 'slurm-jobs-running')).toMatchObject({ passed: false, message: 'Slurm job 42 (alice) still runs on node ws01' });
    const text = renderExplain(e, paint(false));
    expect(text).toContain('1. drain-slurm-node: drain the Slurm node, reason "dubnium: desktop" (then observe it drained)  (undo: resume the Slurm node (then observe it resumed))');
    expect(text).toContain('2. wait-slurm-jobs-ended: wait until work-ended (at most 600s)');
    // the job ends within the bound: the run does what explain said
    expect(record.outcome).toBe('succeeded');
  });

  it('slurmctld unreachable: blocked now, failing closed, nothing to do', async () => {
    const { e, record } = await explainOn('compute', { reachable: false }, 'desktop');
    expect(e.runNow).toBe('blocked');
    expect(e.plan).toEqual([]);
    expect(record.outcome).toBe('blocked');
  });

  it('desktop -> compute: the resume is the last step, after the plan', async () => {
    const { e, record } = await explainOn('desktop', { drained: true, reason: 'dubnium: desktop' }, 'compute');
    expect(e.runNow).toBe('apply');
    expect(e.plan.at(-1)?.id).toBe('resume-slurm-node');
    expect(renderExplain(e, paint(false))).toContain('resume-slurm-node: resume the Slurm node (then observe it resumed)');
    expect(record.outcome).toBe('succeeded');
  });

  it('already in compute: noop, even when the run would resume a drained node', async () => {
    const { e, record } = await explainOn('compute', { drained: true, reason: 'dubnium: desktop' }, 'compute');
    expect(e.runNow).toBe('noop');
    expect(record.outcome).toBe('noop');
  });
});
