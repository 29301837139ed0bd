// `mode current` / `mode status` fact lines: the slurm fact has a line only
// on a Slurm node (it is absent from the record otherwise), saying the node,
// its states and how many jobs run, or why Slurm could not be asked.
import { describe, expect, it } from 'vitest';
import { paint } from '../../cli/color.ts';
import { factLines } from '../../cli/current/facts-summary.ts';

const source = { kind: 'command', argv: ['scontrol', 'show', 'node', '--oneliner', 'ws01'], exitCode: 0 };
const readAt = '2026-12-03T12:00:00.000Z';
const slurmLine = (facts: Record<string, unknown>) => factLines(facts, paint(false)).filter((line) => line.trimStart().startsWith('slurm'));

describe('the slurm fact line', () => {
  it('is absent when the record has no slurm fact, while the other facts say they are missing', () => {
    const lines = factLines({}, paint(false));
    expect(slurmLine({})).toEqual([]);
    expect(lines.some((line) => line.includes('units') && line.includes('missing from the record'))).toBe(true);
  });

  it('names the node, its states and its jobs, or the reason Slurm could not be asked', () => {
    const value = { node: 'ws01', states: ['ALLOCATED', 'DRAIN'], drained: true, reason: 'dubnium: desktop', features: { available: [], active: [] }, jobs: [{ id: '7', user: 'ana', name: 'wrap', state: 'RUNNING', startedAt: null }] };
    expect(slurmLine({ slurm: { status: 'known', value, source, readAt } })).toEqual([expect.stringMatching(/^ {2}slurm +known +ws01 ALLOCATED\+DRAIN, 1 jobs/) as string]);
    const down = { status: 'unknown', code: 'tool-failed', reason: 'slurmctld cannot be reached', source: { ...source, exitCode: 1 }, readAt };
    expect(slurmLine({ slurm: down })).toEqual([expect.stringMatching(/unknown +tool-failed: slurmctld cannot be reached$/) as string]);
  });
});
