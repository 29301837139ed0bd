// The engine's own reasons, word for word, from the run's context: each chart
// failure in each of its forms (timed out or raised, with and without what it
// names), a failed step's evidence, and the warning of an unobserved resume.
import { describe, expect, it } from 'vitest';
import { initialContext, type RunContext } from '../../../machines/context.ts';
import { chartFailure, stepFailed, unresumed, type FailureCode } from '../../../machines/reasons.ts';
import { decide } from '../../../predicates/decide.ts';
import type { NoticeRecord, StepRecord } from '../../../schemas/records.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor } from '../support/facts.ts';

const plan = decide('studio-local', factsFor('desktop', config), config).plan;
const context = (patch: Partial<RunContext> = {}): RunContext => ({
  ...initialContext({ config, target: 'studio-local', runId: 'r', bootId: 'b', pid: 1, now: () => 0, wall: () => '2026-12-04T10:00:00.000Z' }),
  plan,
  ...patch,
});
const text = (code: FailureCode, patch: Partial<RunContext> = {}, error: unknown = null, timedOut = false) => chartFailure(code, { context: context(patch), error, timedOut }).message;
const stepRecord = (stepId: string, phase: 'apply' | 'rollback', ok: boolean, message = 'm'): StepRecord => ({
  stepId,
  phase,
  action: plan[0]!.action,
  ok,
  message,
  startedAt: '2026-12-04T10:00:00.000Z',
  durationMs: 1,
  commands: [],
});
const notice = (patch: Partial<NoticeRecord> = {}): NoticeRecord => ({ user: 'alice', uid: 1000, sessionId: '2', graceMs: 60_000, delivery: 'shown', deliveryDetail: null, refusal: null, ...patch });

describe('the chart’s own failures', () => {
  it('name what they know, and say so when they do not', () => {
    expect(text('lock-held')).toBe('another controller run holds the lock (holder unknown); nothing was touched');
    expect(text('lock-failed', {}, null, true)).toBe('taking the controller lock timed out');
    expect(text('lock-failed', {}, new Error('EROFS'))).toBe('the controller lock could not be taken: EROFS');
    expect(text('intent-unwritable', {}, null, true)).toBe('journaling the intent timed out; nothing was touched');
    expect(text('intent-unwritable', {}, new Error('ENOSPC'))).toBe("the run's intent could not be journaled, so nothing was touched: ENOSPC");
    expect(text('step-error', { cursor: plan.length }, new Error('boom'))).toBe('step ? raised: boom');
    expect(text('step-error', { cursor: 1 }, new Error('boom'))).toBe(`step ${plan[1]!.id} raised: boom`);
    expect(text('work-error', {}, new Error('boom'))).toBe('step ? raised: boom');
    expect(text('step-timeout')).toBe('step ? timed out');
    expect(text('target-unproven')).toBe('a fresh observation does not prove studio-local');
    expect(text('observe-timeout')).toBe('observing the host timed out before anything was touched');
    expect(text('verify-timeout')).toBe('the verifying observation timed out');
  });

  it('an interruption says where the run stopped and what it applied', () => {
    expect(text('interrupted')).toBe('the run was asked to stop (SIGTERM: systemctl stop or shutdown) and stopped before its first step; nothing was touched');
    const steps = [stepRecord(plan[0]!.id, 'apply', true), stepRecord(plan[1]!.id, 'apply', false), stepRecord(plan[0]!.id, 'rollback', true)];
    expect(text('interrupted', { steps })).toBe(
      `the run was asked to stop (SIGTERM: systemctl stop or shutdown) and stopped after step rollback-${plan[0]!.id}; 1 of ${plan.length} planned steps applied, its intent stays journaled so the next run recovers and reconciles`,
    );
    expect(text('interrupted', { steps: steps.slice(0, 1) })).toMatch(new RegExp(`stopped after step ${plan[0]!.id};`));
  });

  it('a refusal names who refused and how, or only that it was', () => {
    expect(text('refused', { notice: notice({ refusal: { by: 'bob', via: 'mode cancel', at: '2026-12-04T10:00:01.000Z' } }) })).toBe(
      'the switch to studio-local would end the graphical session 2 of alice; bob refused it with mode cancel, so nothing was touched',
    );
    expect(text('refused', { notice: notice({ user: null }) })).toBe('the switch to studio-local would end the graphical session 2 of its user; it was refused, so nothing was touched');
    expect(text('refused')).toBe('the switch to studio-local would end the graphical session ? of its user; it was refused, so nothing was touched');
  });
});

describe('a failed step', () => {
  it('cites each command it ran, stderr before stdout, at most 20 lines', () => {
    const step = plan[0]!;
    const stderr = Array.from({ length: 15 }, (_, i) => `e${i}`);
    const stdout = Array.from({ length: 15 }, (_, i) => `o${i}`);
    const record = { ...stepRecord(step.id, 'apply', false, 'exit 1'), commands: [{ argv: ['systemctl', 'start', 'x'], exitCode: 1, stderr, stdout, durationMs: 3, timedOut: false }] } as StepRecord;
    expect(stepFailed(step, record)).toEqual({
      code: 'step-failed',
      message: `step ${step.id} (${step.description}) failed: exit 1`,
      path: ['steps', step.id],
      evidence: [{ fact: `steps.${step.id}`, source: { kind: 'command', argv: ['systemctl', 'start', 'x'], exitCode: 1 }, lines: [...stderr, ...stdout.slice(0, 5)] }],
    });
  });
});

describe('a resume that was not observed', () => {
  const resume = stepRecord('resume-slurm-node', 'apply', false, 'slurmctld cannot be reached');
  it('on a proven mode: the mode stands, the step says why', () => {
    const r = unresumed(context({ outcome: 'succeeded', target: 'compute' }), { record: resume, reason: null });
    expect(r).toEqual({
      code: 'slurm-resume-unproven',
      message:
        'compute is proven, but the resume of the Slurm node was not observed (slurmctld cannot be reached); no job lands on it until it is resumed: request compute again or run scontrol update state=resume',
      path: ['steps', 'resume-slurm-node'],
      evidence: [],
    });
  });
  it('kept in compute, its record taken from the run when the step raised, or unknown', () => {
    expect(unresumed(context({ outcome: 'blocked', steps: [resume] }), null).message).toMatch(/^the machine stays in compute, but the resume of the Slurm node was not observed \(slurmctld cannot be reached\)/);
    expect(unresumed(context({ outcome: 'blocked', steps: [stepRecord('drain-slurm-node', 'apply', true)] }), null).message).toContain('(the resume raised before it answered)');
  });
});
