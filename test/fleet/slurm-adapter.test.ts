// The Slurm adapter's decisions and its words for each failure, on replayed
// real Slurm 22.05.8 output (test/fixtures/real-outputs/n_slurm). The real
// daemons are driven in test/sandbox/slurm-adapter.test.ts; this runs anywhere.
import { describe, expect, it } from 'vitest';
import { commandEvidence } from '../../effects/exec/evidence.ts';
import type { CommandRequest, CommandResult, RunCommand } from '../../effects/exec/command-result.ts';
import { slurmAdapter } from '../../effects/fleet/slurm/adapter.ts';
import { featureUpdate } from '../../effects/fleet/slurm/features.ts';
import { collectSlurm } from '../../effects/observe/collect-slurm.ts';
import { observeContext, observeFacts } from '../../effects/observe/observe-facts.ts';
import { Config } from '../../schemas/config.ts';
import { workstationConfig } from '../engine/support/config.ts';
import { real } from '../observe/fixtures.ts';
import { observation, snapshot } from './snapshot.ts';

const NODE = 'dubnium-sandbox';
type Answer = { capture?: string; stdout?: string; stderr?: string; exit?: number; kind?: 'timed-out' | 'missing-tool' };
const read = (name: string, stream: string) => {
  try {
    return real(`n_slurm/slurm-22.05.8-${name}.${stream}.txt`);
  } catch {
    return '';
  }
};

/** answers each call with the first answer whose key the argv contains; records the calls */
function replay(answers: [string, Answer][]): { run: RunCommand; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunCommand = (request: CommandRequest): Promise<CommandResult> => {
    const argv = [request.tool, ...request.args];
    calls.push(argv);
    const line = argv.join(' ');
    const answer = answers.find(([key]) => line.includes(key))?.[1];
    if (!answer) throw new Error(`no answer for ${line}`);
    const stdout = answer.stdout ?? (answer.capture ? read(answer.capture, 'stdout') : '');
    const stderr = answer.stderr ?? (answer.capture ? read(answer.capture, 'stderr') : '');
    const exit = answer.exit ?? 0;
    const evidence = commandEvidence({ argv, exitCode: answer.kind ? null : exit, signal: null, timedOut: answer.kind === 'timed-out', stdout, stderr, durationMs: 1 });
    if (answer.kind === 'timed-out') return Promise.resolve({ kind: 'timed-out', timeoutMs: request.timeoutMs, stdout: '', stderr: '', evidence });
    if (answer.kind === 'missing-tool') return Promise.resolve({ kind: 'missing-tool', tool: request.tool, searched: ['/usr/bin/scontrol'], evidence });
    return Promise.resolve(exit === 0 ? { kind: 'ok', stdout, stderr, evidence } : { kind: 'failed', exitCode: exit, signal: null, stdout, stderr, evidence });
  };
  return { run, calls };
}

const config = (slurm: Partial<Config['slurm']> = {}): Config => {
  const base = workstationConfig;
  return Config.parse({ ...base, slurm: { ...base.slurm, enable: true, nodeName: NODE, computeFeature: 'dubnium_compute', ...slurm } });
};
const updates = (calls: string[][]) => calls.filter((c) => c[1] === 'update').map((c) => c.slice(2).join(' '));

describe('the Slurm adapter on replayed Slurm 22.05.8 output', () => {
  it('drain sets the reason and takes the compute feature out of both lists', async () => {
    const { run, calls } = replay([['show node', { capture: 'show-after-resume-settled' }], ['update', {}]]);
    expect((await slurmAdapter(config(), { run }).drain('dubnium: desktop')).kind).toBe('ok');
    expect(updates(calls)).toEqual([`NodeName=${NODE} State=DRAIN Reason=dubnium: desktop`, `NodeName=${NODE} AvailableFeatures=gpu ActiveFeatures=gpu`]);
  });

  it("drain changes its own older reason, keeps an admin's, and updates nothing when already so", async () => {
    const own = replay([['show node', { capture: 'show-drained-reason-spaces' }], ['update', {}]]);
    await slurmAdapter(config({ computeFeature: null }), { run: own.run }).drain('dubnium: desktop');
    expect(updates(own.calls)).toEqual([`NodeName=${NODE} State=DRAIN Reason=dubnium: desktop`]);
    const admin = replay([['show node', { capture: 'show-down' }], ['update', {}]]);
    await slurmAdapter(config({ computeFeature: null }), { run: admin.run }).drain('dubnium: desktop');
    expect(updates(admin.calls)).toEqual([]);
    const same = replay([['show node', { capture: 'show-drained-idle' }], ['update', {}]]);
    await slurmAdapter(config({ computeFeature: null }), { run: same.run }).drain('dubnium: desktop');
    expect(updates(same.calls)).toEqual([]);
  });

  it('resume resumes its own drain and adds the feature; a node not drained gets no RESUME (Slurm refuses it)', async () => {
    const drained = replay([['show node', { capture: 'show-drained-reason-spaces' }], ['update', {}]]);
    expect((await slurmAdapter(config(), { run: drained.run }).resume()).kind).toBe('ok');
    expect(updates(drained.calls)).toEqual([`NodeName=${NODE} State=RESUME`, `NodeName=${NODE} AvailableFeatures=gpu,dubnium_compute ActiveFeatures=gpu,dubnium_compute`]);
    const idle = replay([['show node', { capture: 'show-idle-features' }], ['update', {}]]);
    await slurmAdapter(config({ computeFeature: null }), { run: idle.run }).resume();
    expect(updates(idle.calls)).toEqual([]);
  });

  it("resume refuses an admin's drain, naming its reason and the command that would resume it", async () => {
    const { run, calls } = replay([['show node', { capture: 'show-down' }], ['update', {}]]);
    const result = await slurmAdapter(config(), { run }).resume();
    expect(result).toMatchObject({ kind: 'failed', reason: expect.stringContaining(`Reason=disk on fire); dubnium resumes only its own drain: \`scontrol update NodeName=${NODE} State=RESUME\``) as string });
    expect(updates(calls)).toEqual([]);
  });

  it('says what to check for each failure: slurmctld, munge, the node name, permissions, a timeout, a missing tool', async () => {
    const answer = async (a: Answer) => slurmAdapter(config(), { run: replay([['show node', a]]).run }).drain('dubnium: desktop');
    expect(await answer({ capture: 'show-ctld-down', exit: 1 })).toMatchObject({ kind: 'unreachable', reason: expect.stringMatching(/Unable to contact slurm controller.*slurmctld cannot be reached; check that it runs on the SlurmctldHost/) as string });
    expect(await answer({ capture: 'show-munge-down', exit: 1 })).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining('check that munged runs') as string });
    expect(await answer({ capture: 'show-unknown-node', exit: 1 })).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining(`Slurm has no node named ${NODE}; set config.slurm.nodeName`) as string });
    expect(await answer({ kind: 'timed-out' })).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining('raise config.slurm.commandTimeoutSeconds') as string });
    expect(await answer({ kind: 'missing-tool' })).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining('apt-get install slurm-client') as string });
    const refused = replay([['show node', { capture: 'show-idle-features' }], ['update', { capture: 'update-refused', exit: 1 }]]);
    expect(await slurmAdapter(config(), { run: refused.run }).drain('dubnium: desktop')).toMatchObject({ kind: 'failed', reason: expect.stringContaining('Invalid user id: Slurm refused; node updates need root or the SlurmUser') as string });
  });

  it('publish drains outside compute and only reads in compute', async () => {
    const outside = replay([['show node', { capture: 'show-idle-features' }], ['update', {}]]);
    await slurmAdapter(config({ computeFeature: null }), { run: outside.run }).publish(snapshot({ observation: observation('studio-local') }));
    expect(updates(outside.calls)).toEqual([`NodeName=${NODE} State=DRAIN Reason=dubnium: studio-local`]);
    const inside = replay([['show node', { capture: 'show-idle-features' }]]);
    expect((await slurmAdapter(config(), { run: inside.run }).publish(snapshot({ observation: observation('compute') }))).kind).toBe('ok');
    expect(updates(inside.calls)).toEqual([]);
  });

  it('the fact: known with the jobs, unknown with the failing command as its source', async () => {
    const ok = replay([['show node', { capture: 'show-draining' }], ['squeue', { capture: 'squeue-two-running' }]]);
    const known = await collectSlurm(observeContext(config(), { run: ok.run }));
    expect(known).toMatchObject({ status: 'known', source: { argv: ['scontrol', 'show', 'node', '--oneliner', NODE] }, value: { drained: true, jobs: [{ id: '1', user: 'nobody' }, { id: '2', user: 'munge' }] } });
    const down = replay([['show node', { capture: 'show-idle-features' }], ['squeue', { capture: 'squeue-ctld-down', exit: 1 }]]);
    const unknown = await collectSlurm(observeContext(config(), { run: down.run }));
    expect(unknown).toMatchObject({ status: 'unknown', code: 'tool-failed', source: { argv: expect.arrayContaining(['squeue']) as string[], exitCode: 1 } });
  });

  it('the observation has the slurm fact only when slurm.enable, and asks Slurm nothing otherwise', async () => {
    const answers: [string, Answer][] = [['show node', { capture: 'show-idle-features' }], ['squeue', { capture: 'squeue-two-running' }]];
    const off = replay(answers);
    const facts = await observeFacts(config({ enable: false }), { run: off.run, timeoutMs: 2000 });
    expect('slurm' in facts).toBe(false);
    expect(off.calls.filter((c) => c[0] === 'scontrol' || c[0] === 'squeue')).toEqual([]);
    const on = replay(answers);
    expect((await observeFacts(config(), { run: on.run, timeoutMs: 2000 })).slurm).toMatchObject({ status: 'known', value: { states: ['IDLE'], jobs: [{ id: '1' }, { id: '2' }] } });
  });

  it('the feature update keeps the other features and knows when there is nothing to do', () => {
    expect(featureUpdate({ available: ['gpu'], active: ['gpu'] }, 'f', 'add')).toEqual(['AvailableFeatures=gpu,f', 'ActiveFeatures=gpu,f']);
    expect(featureUpdate({ available: ['gpu', 'f'], active: ['gpu'] }, 'f', 'add')).toEqual(['AvailableFeatures=gpu,f', 'ActiveFeatures=gpu,f']);
    expect(featureUpdate({ available: ['gpu', 'f'], active: ['gpu', 'f'] }, 'f', 'add')).toBeNull();
    expect(featureUpdate({ available: ['gpu'], active: ['gpu'] }, 'f', 'remove')).toBeNull();
  });
});
