// The end of `mode request` on a Slurm node: the outcome, then each warning
// of the record (jobs --force left running, a resume not observed), so a
// succeeded switch never hides what went wrong beside it.
import { describe, expect, it } from 'vitest';
import { paint } from '../../cli/color.ts';
import { outcomeLines } from '../../cli/request/render.ts';
import { transition } from './support/records.ts';

describe('mode request: the outcome and its warnings', () => {
  it('prints each warning after the outcome, with its code', () => {
    const record = {
      ...transition('desktop', 5, 'succeeded'),
      warnings: [
        { code: 'slurm-jobs-left-running', message: '--force waived slurm-jobs-running: Slurm job 42 (alice) still runs on node ws01; no job was killed, each runs on until it ends', path: ['guards', 'slurm-jobs-running'], evidence: [] },
      ],
    };
    const lines = outcomeLines(record, true, paint(false));
    expect(lines[0]).toMatch(/^succeeded: /);
    expect(lines.slice(1).join('\n')).toContain('warning: ');
    expect(lines.slice(1).join('\n')).toContain('slurm-jobs-left-running');
    expect(lines.slice(1).join('\n')).toContain('Slurm job 42 (alice) still runs on node ws01');
  });

  it('prints no warning line for a record without warnings', () => {
    const lines = outcomeLines(transition('desktop', 5, 'succeeded'), true, paint(false));
    expect(lines.some((l) => l.includes('warning'))).toBe(false);
  });
});
