// `mode status` on a Slurm node: the last run's warnings (a resume of the
// node not observed, jobs --force left running) are shown under it, so a
// succeeded switch never hides that work cannot land.
import { describe, expect, it } from 'vitest';
import { paint } from '../../cli/color.ts';
import { statusModel } from '../../cli/status/model.ts';
import { renderStatus } from '../../cli/status/render.ts';
import type { TransitionView } from '../../schemas/cli-views.ts';
import { transition } from './support/records.ts';
import { schemaErrors } from './support/schema.ts';

const warning = {
  code: 'slurm-resume-unproven',
  message: 'compute is proven, but the resume of the Slurm node was not observed (node ws01 is still drained); no job lands on it until it is resumed: request compute again or run scontrol update state=resume',
  path: ['steps', 'resume-slurm-node'],
  evidence: [],
};
const inputs = (record: TransitionView) => ({
  desired: { status: 'missing' as const },
  transition: { status: 'ok' as const, value: record },
  observation: { status: 'missing' as const },
  holder: { status: 'missing' as const },
  intent: { status: 'missing' as const },
  inFlight: false,
  problems: [],
});

describe('mode status: the last run and its warnings', () => {
  it('shows each warning of the last record, and --json carries them', () => {
    const s = statusModel(inputs({ ...transition('compute', 3, 'succeeded'), warnings: [warning] }));
    expect(s.lastOutcome?.warnings).toEqual([warning]);
    expect(schemaErrors('cli-status', s)).toEqual([]);
    const text = renderStatus(s, paint(false), Date.parse('2026-11-26T10:05:00.000Z'));
    expect(text).toContain('warning: ');
    expect(text).toContain('the resume of the Slurm node was not observed');
  });

  it('a record without warnings has none in the view', () => {
    const s = statusModel(inputs(transition('compute', 3, 'succeeded')));
    expect(s.lastOutcome).not.toHaveProperty('warnings');
    expect(renderStatus(s, paint(false), Date.parse('2026-11-26T10:05:00.000Z'))).not.toContain('warning');
    expect(statusModel(inputs({ ...transition('compute', 3, 'succeeded'), warnings: [] })).lastOutcome).not.toHaveProperty('warnings');
  });
});
