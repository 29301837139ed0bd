// The pure part of `mode watch`: which events a change of the records and
// the log makes, for the cases a live folder cannot stage on demand (a run
// seen only by its lock note, a recovery, reads that interleave with writes).
import { describe, expect, it } from 'vitest';
import { nextEvents, startWatch } from '../../cli/watch/events.ts';
import type { Snapshot } from '../../cli/watch/snapshot.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { at, transition } from './support/records.ts';
import { schemaErrors } from './support/schema.ts';

const empty: Snapshot = { desired: null, observed: null, transition: null, run: null, runByLockOnly: false, problems: [] };
const audit = (seq: number, fields: Partial<AuditEvent>): AuditEvent => ({
  v: 1,
  seq,
  bootId: null,
  wall: at(seq * 100),
  monoMs: seq * 100,
  runId: 'run-5',
  event: 'step',
  target: 'compute',
  generation: 5,
  outcome: null,
  reason: null,
  ...fields,
});

function play(steps: { audit?: AuditEvent[]; snapshot: Snapshot }[]) {
  let { memory } = startWatch(empty, at(0));
  const events = [];
  for (const step of steps) {
    const next = nextEvents(memory, step.audit ?? [], step.snapshot, at(9999));
    memory = next.memory;
    events.push(...next.events);
  }
  for (const event of events) expect(schemaErrors('cli-watch', event)).toEqual([]);
  return { events, memory };
}

describe('watch events', () => {
  it('shows a run known only by its lock note (a user who may not read the state folder) until its outcome', () => {
    const holderRun = { runId: 'run-5', target: null, generation: null, step: null, startedAt: at(10) };
    const record = { ...transition('compute', 5, 'blocked'), runId: 'run-5' };
    const { events, memory } = play([{ snapshot: { ...empty, run: holderRun } }, { snapshot: { ...empty, run: holderRun, transition: record } }]);
    expect(events.map((e) => e.event)).toEqual(['run-started', 'outcome']);
    expect(events[0]).toMatchObject({ run: { runId: 'run-5', target: null }, state: { run: { runId: 'run-5' } } });
    expect(events[1]).toMatchObject({ outcome: { outcome: 'blocked', reason: 'reaper is running (pid 4242)' }, state: { run: null } });
    expect(memory.state.run).toBeNull();
  });

  it('tells a run by its journaled intent, with its target, when the journal can be read: its lock note comes first', () => {
    const lockNote = { runId: 'run-5', target: null, generation: null, step: null, startedAt: at(10) };
    const journaled = { runId: 'run-5', target: 'compute' as const, generation: 5, step: 'planned', startedAt: at(10) };
    const { events } = play([{ snapshot: { ...empty, run: lockNote, runByLockOnly: true } }, { snapshot: { ...empty, run: journaled } }]);
    expect(events.map((e) => e.event)).toEqual(['run-started']);
    expect(events[0]).toMatchObject({ run: { runId: 'run-5', target: 'compute', generation: 5 } });
  });

  it('keeps the run in progress when it records the recovery of an interrupted one', () => {
    const run = { runId: 'run-6', target: 'desktop' as const, generation: 6, step: 'planned', startedAt: at(10) };
    const recovered = audit(1, { runId: 'run-2', event: 'recovered', outcome: 'recovered', target: 'compute', generation: 2, reason: 'stopped in step start-vllm' });
    const { events, memory } = play([{ snapshot: { ...empty, run } }, { audit: [recovered], snapshot: { ...empty, run } }]);
    expect(events.map((e) => e.event)).toEqual(['run-started', 'outcome']);
    expect(events[1]).toMatchObject({ outcome: { runId: 'run-2', outcome: 'recovered' }, state: { run: { runId: 'run-6' } } });
    expect(memory.state.run?.runId).toBe('run-6');
  });

  it('does not tell a step as started once the log says it finished (the journal was read before the log)', () => {
    const atStep = (step: string) => ({ ...empty, run: { runId: 'run-5', target: 'compute' as const, generation: 5, step, startedAt: at(0) } });
    const { events } = play([
      { audit: [audit(1, { event: 'intent' })], snapshot: atStep('planned') },
      // one look: the journal says step b started, and the log (read after it) already has b's end
      { audit: [audit(2, { reason: 'apply a: ok' }), audit(3, { reason: 'apply b: ok' })], snapshot: atStep('b') },
    ]);
    expect(events.map((e) => e.event)).toEqual(['run-started', 'step-finished', 'step-finished']);
    expect(events.slice(1).map((e) => (e.event === 'step-finished' ? [e.stepId, e.durationMs] : null))).toEqual([
      ['a', 100],
      ['b', 100],
    ]);
  });

  it('tells a refused start without a run id each time it is logged', () => {
    const refusal = (seq: number) => audit(seq, { runId: null, event: 'rejected', outcome: 'rejected', target: null, generation: null, reason: 'unknown mode "gaming"' });
    const { events } = play([{ audit: [refusal(1)], snapshot: empty }, { audit: [refusal(2)], snapshot: empty }]);
    expect(events.map((e) => (e.event === 'outcome' ? e.outcome.outcome : e.event))).toEqual(['rejected', 'rejected']);
  });
});
