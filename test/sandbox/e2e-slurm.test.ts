// Issue 15 item 2, end to end: the real controller inside the sandbox, with a
// real slurmctld and slurmd (slurm: true) and config.slurm.enable. The
// controller's two units get what the NixOS module opens for Slurm
// (nix/slurm.nix, checked by slurm-unit-access.test.ts): a network,
// AF_INET/AF_INET6, and an IP allowance (loopback here). desktop → compute
// resumes the node (and its feature) and a job submitted then runs on it;
// compute → desktop while a real job runs drains the node, waits
// drainWaitSeconds and is blocked by slurm-jobs-running naming the job and its
// user, the job untouched; a job that ends within the wait lets the switch
// go on. With slurmctld stopped, nothing holds the way between desktop and
// studio-local, and leaving compute is blocked at once (fail closed). With
// --force the switch leaves compute at once and the job runs on, named in
// the record's warnings.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TransitionRecord } from '../../schemas/records.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { activeStates, bootControllerSandbox, request, type ControllerSandbox } from './e2e.ts';
import { DESKTOP_USER } from './layout.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import type { DropIn } from './sandbox.ts';
import { slurmPrerequisites } from './slurm-cluster.ts';
import { jobRuns, jobState, nodeResponds, scontrolLine, submitJob } from './slurm-jobs.ts';

const FEATURE = 'dubnium_compute';
const DRAIN_WAIT_SECONDS = 12;
const OPENING = ['PrivateNetwork=no', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'IPAddressAllow=localhost'];
const DROP_INS: DropIn[] = ['mode-controller@.service', 'mode-boot.service'].map((unit) => ({ unit, sections: { Service: OPENING } }));
const missing = [...sandboxPrerequisites(), ...slurmPrerequisites()];

describeWhen(missing, 'end to end: Slurm follows the mode (real slurmctld and slurmd)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({
      slurm: true,
      config: (c) => ({ ...c, slurm: { enable: true, computeFeature: FEATURE, drainWaitSeconds: DRAIN_WAIT_SECONDS, commandTimeoutSeconds: 10 } }),
      dropIns: DROP_INS,
    });
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const node = () => sandbox.config.slurm.nodeName ?? sandbox.config.hostname;

  it('at boot on the desktop, mode boot drained the node with reason dubnium: desktop, and the observation has the slurm fact', async () => {
    expect(await scontrolLine(sandbox, node())).toMatch(/ State=IDLE\+DRAIN .*Reason=dubnium: desktop \[root@/);
    const observation = JSON.parse(sandbox.readInside('/run/mode-controller/last-observation.json') ?? 'null') as ObservationRecord | null;
    expect(observation?.classification.mode).toBe('desktop');
    expect(observation?.facts.slurm).toMatchObject({ status: 'known', value: { node: node(), jobs: [] } });
  });


  it('desktop → compute resumes the node with the compute feature, and a job submitted then starts on it', async () => {
    const { record } = await request(sandbox, 'compute');
    expect({ outcome: record.outcome, final: record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: 'compute' });
    const line = await scontrolLine(sandbox, node());
    expect(line).not.toMatch(/\+DRAIN|Reason=/);
    expect(line).toMatch(new RegExp(`AvailableFeatures=gpu,${FEATURE} ActiveFeatures=gpu,${FEATURE} `));
    const id = await submitJob(sandbox, 'sleep 2');
    await sandbox.waitUntil(`job ${id} runs on the resumed node`, async () => ['RUNNING', 'COMPLETING', ''].includes(await jobState(sandbox, id)));
    const accounted = await sandbox.exec(['scontrol', 'show', 'job', id]);
    expect(accounted.stdout).toMatch(new RegExp(`NodeList=${node()}\\b`));
    await sandbox.waitUntil(`job ${id} has ended`, async () => (await jobState(sandbox, id)) === '', 20_000);
  }, 120_000);

  it('compute → desktop while a job runs: drained, waited, blocked by slurm-jobs-running naming the job and its user; the job runs on', async () => {
    const id = await submitJob(sandbox, 'sleep 60');
    await jobRuns(sandbox, id, node());
    const started = Date.now();
    const { record } = await request(sandbox, 'desktop');
    const text = JSON.stringify(record);
    expect(record.outcome).toBe('blocked');
    expect(record.steps.map((step) => step.stepId)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended', 'resume-slurm-node']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_WAIT_SECONDS * 1000);
    expect(text).toContain('slurm-jobs-running');
    expect(text).toContain(id);
    expect(text).toContain(DESKTOP_USER.name);
    expect(await jobState(sandbox, id)).toBe('RUNNING');
    expect((await sandbox.exec(['scancel', id])).exitCode).toBe(0);
    await sandbox.waitUntil(`job ${id} has ended`, async () => (await jobState(sandbox, id)) === '', 20_000);
  }, 180_000);

  it('compute → desktop with a job that ends within the wait: the switch goes on and the node is drained for the desktop', async () => {
    const id = await submitJob(sandbox, 'sleep 4');
    await jobRuns(sandbox, id, node());
    const { record } = await request(sandbox, 'desktop');
    expect({ outcome: record.outcome, final: record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: 'desktop' });
    expect(await jobState(sandbox, id)).toBe('');
    expect(record.steps.map((step) => step.stepId).slice(0, 2)).toEqual(['drain-slurm-node', 'wait-slurm-jobs-ended']);
    const line = await scontrolLine(sandbox, node());
    expect(line).toMatch(/ State=IDLE\+DRAIN .*Reason=dubnium: desktop \[root@/);
    expect(line).toMatch(/AvailableFeatures=gpu ActiveFeatures=gpu /);
  }, 180_000);

  it('slurmctld stopped: the way to studio-local and back is never held; leaving compute is blocked at once, naming slurmctld', async () => {
    expect((await sandbox.systemctl(['stop', 'slurmctld.service'])).exitCode).toBe(0);
    for (const mode of ['studio-local', 'desktop'] as const) {
      const { record } = await request(sandbox, mode);
      expect({ mode, outcome: record.outcome }).toEqual({ mode, outcome: 'succeeded' });
    }
    expect((await sandbox.systemctl(['start', 'slurmctld.service'])).exitCode).toBe(0);
    expect((await request(sandbox, 'compute')).record.outcome).toBe('succeeded');

    expect((await sandbox.systemctl(['stop', 'slurmctld.service'])).exitCode).toBe(0);
    const { record } = await request(sandbox, 'desktop');
    expect(record.outcome).toBe('blocked');
    // at once: before any step, so no drain and no wait (the record says so, whatever the machine's load made the run take)
    expect(record.steps).toEqual([]);
    const text = JSON.stringify(record);
    expect(text).toContain('slurm-jobs-running');
    expect(text).toMatch(/slurmctld cannot be reached/);
    expect(await activeStates(sandbox, [sandbox.config.units.computeTarget, sandbox.config.units.vllm])).toEqual({ [sandbox.config.units.computeTarget]: 'active', [sandbox.config.units.vllm]: 'active' });
  }, 240_000);

  it('compute → desktop with --force while a job runs: the switch goes on at once, the job runs on, the record warns naming it', async () => {
    expect((await sandbox.systemctl(['start', 'slurmctld.service'])).exitCode).toBe(0);
    await nodeResponds(sandbox, node());
    // in compute, with the node resumed (a noop when the blocked run left it so)
    expect(['succeeded', 'noop']).toContain((await request(sandbox, 'compute')).record.outcome);
    expect(await scontrolLine(sandbox, node())).not.toMatch(/\+DRAIN/);
    const id = await submitJob(sandbox, 'sleep 60');
    await jobRuns(sandbox, id, node());
    // what `mode request --force desktop` records, then the unit it starts
    const desired = await sandbox.store.recordDesired('desktop', 'e2e-test', 'request', { force: true });
    if (!desired.ok) throw new Error(desired.failure.message);
    await sandbox.systemctl(['start', 'mode-controller@desktop.service'], 300_000);
    const record = TransitionRecord.parse(JSON.parse(sandbox.readInside('/run/mode-controller/last-transition.json') ?? 'null'));
    expect({ generation: record.generation, outcome: record.outcome, final: record.finalObservation?.mode }).toEqual({ generation: desired.record.generation, outcome: 'succeeded', final: 'desktop' });
    // at once: drained, and no wait for the job (the record says so, whatever the machine's load made the switch take)
    expect(record.steps.map((step) => step.stepId)).toContain('drain-slurm-node');
    expect(record.steps.map((step) => step.stepId)).not.toContain('wait-slurm-jobs-ended');
    const warnings = JSON.stringify(record.warnings ?? []);
    expect(warnings).toContain('slurm-jobs-left-running');
    expect(warnings).toContain(id);
    expect(await jobState(sandbox, id)).toBe('RUNNING');
    expect(await scontrolLine(sandbox, node())).toMatch(/ State=(ALLOCATED|MIXED)\+DRAIN .*Reason=dubnium: desktop/);
  }, 360_000);
});
