// The scontrol and squeue parsers on real Slurm 22.05.8 output
// (test/fixtures/real-outputs/n_slurm, captured from real daemons).
import { describe, expect, it } from 'vitest';
import { parseScontrolShowNode } from '../../effects/observe/parsers/scontrol-show-node.ts';
import { parseSqueueJobs, SQUEUE_FORMAT } from '../../effects/observe/parsers/squeue-jobs.ts';
import { real } from './fixtures.ts';

const NODE = 'dubnium-sandbox';
const capture = (name: string, stream: 'stdout' | 'stderr' = 'stdout') => real(`n_slurm/slurm-22.05.8-${name}.${stream}.txt`);
const show = (name: string) => {
  const parsed = parseScontrolShowNode(capture(name), NODE);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe('scontrol show node --oneliner (22.05.8)', () => {
  it('reads an idle node with a feature', () => {
    expect(show('show-idle-features')).toEqual({ node: NODE, states: ['IDLE'], drained: false, reason: null, features: { available: ['gpu'], active: ['gpu'] } });
  });

  it('reads a drained node whose reason has spaces and a colon, without the [user@time] stamp', () => {
    expect(show('show-drained-reason-spaces')).toMatchObject({ states: ['IDLE', 'DRAIN'], drained: true, reason: 'dubnium: studio-local' });
  });

  it('reads updated features, an active subset, draining with jobs, down and not responding', () => {
    expect(show('show-drained-features').features).toEqual({ available: ['gpu', 'dubnium_compute'], active: ['gpu', 'dubnium_compute'] });
    expect(show('show-features-active-subset').features).toEqual({ available: ['gpu', 'dubnium_compute'], active: ['gpu'] });
    expect(show('show-draining')).toMatchObject({ states: ['ALLOCATED', 'DRAIN'], drained: true, reason: 'dubnium: desktop' });
    expect(show('show-mixed')).toMatchObject({ states: ['ALLOCATED'], drained: false, reason: null });
    expect(show('show-down')).toMatchObject({ states: ['DOWN', 'DRAIN'], drained: true, reason: 'disk on fire' });
    expect(show('show-resumed')).toMatchObject({ states: ['IDLE', 'NOT_RESPONDING'], drained: false, reason: null });
    expect(show('show-drained-idle')).toMatchObject({ states: ['IDLE', 'DRAIN'], drained: true });
  });

  it('reads features emptied by an update: (null) and nothing are both no feature', () => {
    const parsed = parseScontrolShowNode(capture('show-features-emptied'), 'dubnium-workstation');
    expect(parsed.ok && parsed.value.features).toEqual({ available: [], active: [] });
  });

  it('keeps a reason with = and a Comment= after it apart (the reason is free text)', () => {
    const line = capture('show-draining').replace(/Reason=.*$/m, 'Reason=dubnium: a=b State=FAKE [root@2026-12-03T16:58:29] Comment=later');
    const parsed = parseScontrolShowNode(line, NODE);
    expect(parsed.ok && parsed.value).toMatchObject({ states: ['ALLOCATED', 'DRAIN'], reason: 'dubnium: a=b State=FAKE' });
  });

  it('fails naming the problem on an unknown node, an error text and another node', () => {
    const unknownNode = parseScontrolShowNode(capture('show-unknown-node'), 'nosuchnode');
    expect(unknownNode.ok).toBe(false);
    expect(!unknownNode.ok && unknownNode.message).toMatch(/no NodeName= line/);
    const down = parseScontrolShowNode(capture('show-ctld-down', 'stderr'), NODE);
    expect(!down.ok && down.excerpt.join('\n')).toMatch(/Unable to contact slurm controller/);
    const other = parseScontrolShowNode(capture('show-idle-features'), 'gpu01');
    expect(!other.ok && other.message).toMatch(/no line for NodeName=gpu01/);
    expect(parseScontrolShowNode('', NODE).ok).toBe(false);
  });
});

describe(`squeue --format=${JSON.stringify(SQUEUE_FORMAT)} (22.05.8)`, () => {
  it('reads running jobs with their users, a name holding | and ;, and a pending job without a start', () => {
    const running = parseSqueueJobs(capture('squeue-two-running'));
    expect(running).toEqual({
      ok: true,
      value: [
        { id: '1', user: 'nobody', name: 'wrap', state: 'RUNNING', startedAt: '2026-12-03T16:58:27' },
        { id: '2', user: 'munge', name: 'odd name|with;delims', state: 'RUNNING', startedAt: '2026-12-03T16:58:27' },
      ],
    });
    const all = parseSqueueJobs(capture('squeue-all-with-pending'));
    expect(all.ok && all.value[0]).toEqual({ id: '3', user: 'nobody', name: 'wrap', state: 'PENDING', startedAt: null });
  });

  it('reads no job from empty output, and refuses another format naming the one it expects', () => {
    expect(parseSqueueJobs('')).toEqual({ ok: true, value: [] });
    const other = parseSqueueJobs(capture('squeue-pending-long'));
    expect(!other.ok && other.message).toMatch(/line 1: expected 6 fields separated by 0x1f/);
    const error = parseSqueueJobs(capture('squeue-ctld-down', 'stderr'));
    expect(error.ok).toBe(false);
  });
});
