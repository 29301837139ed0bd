// The Slurm adapter against a real slurmctld and slurmd (Debian's slurm-wlm
// 22.05.8 and munge, units of the sandbox's systemd, loopback only): drain
// and resume as `scontrol show node` tells them, the compute feature, a real
// job listed with its user, a job that stays pending on a drained node, an
// admin's drain left alone, publish outside compute, and the fact and the
// adapter when slurmctld is stopped. The adapter runs outside, through
// wrappers that enter the sandbox (writeSlurmWrappers).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../schemas/config.ts';
import type { SlurmNode } from '../../schemas/facts.ts';
import { slurmAdapter, type SlurmAdapter } from '../../effects/fleet/slurm/adapter.ts';
import { collectSlurm } from '../../effects/observe/collect-slurm.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import { observation, snapshot } from '../fleet/snapshot.ts';
import { DESKTOP_USER } from './layout.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import { slurmPrerequisites } from './slurm-cluster.ts';
import { jobState, scontrolLine, submitJob } from './slurm-jobs.ts';

const FEATURE = 'dubnium_compute';
const missing = [...sandboxPrerequisites(), ...slurmPrerequisites()];

describeWhen(missing, 'the Slurm adapter against a real slurmctld and slurmd', () => {
  let sandbox: Sandbox;
  let config: Config;
  let adapter: SlurmAdapter;

  beforeAll(async () => {
    sandbox = await bootSandbox({ slurm: true, config: (c) => ({ ...c, slurm: { enable: true, computeFeature: FEATURE, drainWaitSeconds: 30, commandTimeoutSeconds: 10 } }) });
    const bin = sandbox.outsideBin;
    config = { ...sandbox.config, tools: { ...sandbox.config.tools, scontrol: join(bin, 'scontrol'), squeue: join(bin, 'squeue') } };
    adapter = slurmAdapter(config);
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const node = async (): Promise<SlurmNode> => {
    const shown = await adapter.showNode();
    if (shown.kind !== 'ok') throw new Error(shown.reason);
    return shown.value;
  };
  const ok = async (result: Promise<{ kind: string; reason?: string }>) => expect(await result).toMatchObject({ kind: 'ok' });

  it('the node is up at boot under the config name, idle, with its configured feature and no job', async () => {
    expect(adapter.node).toBe(config.hostname);
    expect(await node()).toEqual({ node: config.hostname, states: ['IDLE'], drained: false, reason: null, features: { available: ['gpu'], active: ['gpu'] }, jobs: [] });
  });

  it('drain: scontrol shows DRAIN with the reason; a second drain runs no update', async () => {
    await ok(adapter.drain('dubnium: desktop'));
    expect(await scontrolLine(sandbox, adapter.node)).toMatch(/ State=IDLE\+DRAIN .* Reason=dubnium: desktop \[root@[0-9T:-]+\]$/m);
    const again = await adapter.drain('dubnium: desktop');
    expect(again.kind).toBe('ok');
    expect(again.evidence.map((e) => e.argv.slice(1, 3).join(' '))).toEqual(['show node']);
  });

  it('resume: IDLE again, with the compute feature in both lists', async () => {
    await ok(adapter.resume());
    await sandbox.waitUntil('the resumed node answers as IDLE', async () => / State=IDLE /.test(await scontrolLine(sandbox, adapter.node)));
    const line = await scontrolLine(sandbox, adapter.node);
    expect(line).toMatch(new RegExp(`AvailableFeatures=gpu,${FEATURE} ActiveFeatures=gpu,${FEATURE} `));
    expect(line).not.toMatch(/Reason=/);
    expect(await node()).toMatchObject({ drained: false, features: { available: ['gpu', FEATURE], active: ['gpu', FEATURE] } });
  });

  it('a job on the resumed node is listed with its user; draining leaves it running, removes the feature, and a new job stays PENDING', async () => {
    const id = await submitJob(sandbox, 'sleep 30');
    await sandbox.waitUntil(`job ${id} runs`, async () => (await jobState(sandbox, id)) === 'RUNNING');
    const work = await adapter.listRunningWork();
    expect(work.kind === 'ok' && work.value).toEqual([{ id, user: DESKTOP_USER.name, name: 'wrap', state: 'RUNNING', startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) as string }]);

    await ok(adapter.drain('dubnium: desktop'));
    const line = await scontrolLine(sandbox, adapter.node);
    expect(line).toMatch(/ State=(ALLOCATED|MIXED)\+DRAIN /);
    expect(line).toMatch(/AvailableFeatures=gpu ActiveFeatures=gpu /);
    const fact = await collectSlurm(observeContext(config));
    expect(fact).toMatchObject({ status: 'known', value: { drained: true, reason: 'dubnium: desktop', jobs: [{ id, user: DESKTOP_USER.name, state: 'RUNNING' }] } });

    const pending = await submitJob(sandbox, 'sleep 1');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await jobState(sandbox, pending)).toBe('PENDING');
    expect(await jobState(sandbox, id)).toBe('RUNNING');
    expect((await sandbox.exec(['scancel', id, pending])).exitCode).toBe(0);
    await sandbox.waitUntil('no job is left on the node', async () => (await adapter.listRunningWork()).kind === 'ok' && (await node()).jobs.length === 0);
  }, 60_000);

  it("an admin's drain is neither overwritten by drain nor resumed", async () => {
    expect((await sandbox.exec(['scontrol', 'update', `NodeName=${adapter.node}`, 'State=DRAIN', 'Reason=disk check by admin'])).exitCode).toBe(0);
    await ok(adapter.drain('dubnium: studio-local'));
    expect((await node()).reason).toBe('disk check by admin');
    const resumed = await adapter.resume();
    expect(resumed).toMatchObject({ kind: 'failed', reason: expect.stringContaining('drained by someone else (Reason=disk check by admin)') as string });
    expect(await scontrolLine(sandbox, adapter.node)).toMatch(/ State=IDLE\+DRAIN .*Reason=disk check by admin/);
  });

  it('publish outside compute drains with the observed mode; in compute it reports a drain of its own', async () => {
    expect((await sandbox.exec(['scontrol', 'update', `NodeName=${adapter.node}`, 'State=RESUME'])).exitCode).toBe(0);
    await ok(adapter.publish(snapshot({ observation: observation('studio-local') })));
    expect(await node()).toMatchObject({ drained: true, reason: 'dubnium: studio-local' });
    const inCompute = await adapter.publish(snapshot({ observation: observation('compute') }));
    expect(inCompute).toMatchObject({ kind: 'failed', reason: expect.stringContaining('compute is proven but node') as string });
  });

  it('slurmctld stopped: the fact is unknown naming slurmctld and the node, the adapter answers unreachable', async () => {
    expect((await sandbox.systemctl(['stop', 'slurmctld.service'])).exitCode).toBe(0);
    const fact = await collectSlurm(observeContext(config));
    expect(fact).toMatchObject({ status: 'unknown', code: 'tool-failed', source: { kind: 'command', exitCode: 1 } });
    expect(fact.status === 'unknown' && fact.reason).toMatch(/slurmctld cannot be reached; check that it runs on the SlurmctldHost/);
    expect(fact.status === 'unknown' && fact.excerpt).toEqual(['slurm_load_node error: Unable to contact slurm controller (connect failure)']);
    const work = await adapter.listRunningWork();
    expect(work).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining('squeue') as string });
    expect((await adapter.drain('dubnium: desktop')).kind).toBe('unreachable');
    expect((await adapter.resume()).kind).toBe('unreachable');
  }, 60_000);
});
