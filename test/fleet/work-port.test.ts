// The host port's drainWork/resumeWork over a fleet WorkloadAdapter
// (effects/fleet/work-port.ts): what the adapter answers becomes the step's
// result with its commands as evidence, a throw becomes a failed step, and no
// adapter means no methods (the chart's step then says so).
import { describe, expect, it } from 'vitest';
import type { FleetResult, WorkloadAdapter } from '../../effects/fleet/port.ts';
import { actionResultOf, configuredWorkload, workPort } from '../../effects/fleet/work-port.ts';
import type { CommandEvidence } from '../../schemas/records.ts';
import { workstationConfig, withConfig } from '../engine/support/config.ts';

const evidence: CommandEvidence = { argv: ['scontrol', 'update', 'nodename=ws01', 'state=drain', 'reason=dubnium: desktop'], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 12 };

function adapter(answer: (call: string) => Promise<FleetResult<null>>): WorkloadAdapter & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'slurm',
    readsAudit: false,
    calls,
    publish: () => Promise.resolve({ kind: 'ok', value: null, evidence: [] }),
    drain: (reason) => (calls.push(`drain ${reason}`), answer('drain')),
    resume: () => (calls.push('resume'), answer('resume')),
    listRunningWork: () => Promise.resolve({ kind: 'ok', value: [], evidence: [] }),
  };
}

describe('workPort', () => {
  it('drain and resume answer with what the adapter did, its commands as evidence', async () => {
    const a = adapter(() => Promise.resolve({ kind: 'ok', value: null, evidence: [evidence] }));
    const port = workPort(a);
    expect(await port.drainWork!('dubnium: desktop')).toEqual({ ok: true, message: 'asked slurm to drain the node (reason "dubnium: desktop")', commands: [evidence] });
    expect(await port.resumeWork!()).toEqual({ ok: true, message: 'asked slurm to resume the node', commands: [evidence] });
    expect(a.calls).toEqual(['drain dubnium: desktop', 'resume']);
  });

  it('unreachable and refused are failed steps that say which', async () => {
    const down = workPort(adapter(() => Promise.resolve({ kind: 'unreachable', reason: 'slurmctld is down', evidence: [evidence] })));
    expect(await down.drainWork!('dubnium: desktop')).toEqual({ ok: false, message: 'the workload manager cannot be reached: slurmctld is down', commands: [evidence] });
    const refused = workPort(adapter(() => Promise.resolve({ kind: 'failed', reason: 'Invalid user id', evidence: [] })));
    expect(await refused.resumeWork!()).toEqual({ ok: false, message: 'the workload manager refused: Invalid user id', commands: [] });
  });

  it('an adapter that throws fails the step instead of the run', async () => {
    const port = workPort(adapter(() => Promise.reject(new Error('boom'))));
    expect(await port.resumeWork!()).toEqual({ ok: false, message: 'the slurm adapter threw: boom', commands: [] });
  });

  it('no adapter: no methods', () => {
    expect(workPort(null)).toEqual({});
    expect(actionResultOf({ kind: 'ok', value: null, evidence: [] }, 'done')).toEqual({ ok: true, message: 'done', commands: [] });
  });

  it('configuredWorkload: none unless slurm.enable', () => {
    expect(configuredWorkload(withConfig((c) => { c.slurm.enable = false; c.metrics.enable = true; }))).toBeNull();
    expect(workstationConfig.slurm.enable).toBe(false);
  });
});
