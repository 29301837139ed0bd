// One line of `mode watch --json`: an event, and the state after it. Each line
// carries the whole (small) state, so a tray indicator or a Waybar module can
// render any single line without remembering the ones before it.
import * as z from 'zod';
import { ModeName, ObservedModeName } from './names.ts';
import { DesiredRecord, Outcome } from './records.ts';

export const WatchDesired = z.strictObject({
  mode: ModeName,
  generation: z.int().min(1),
  requestedAt: z.iso.datetime(),
  requestedBy: z.string().nullable(),
  via: DesiredRecord.shape.via.unwrap().nullable().describe('null in records written before `via` existed'),
});
export type WatchDesired = z.infer<typeof WatchDesired>;

export const WatchObserved = z.strictObject({
  mode: ObservedModeName,
  degradedFrom: ModeName.nullable(),
  observedAt: z.iso.datetime(),
  runId: z.string().nullable().describe('the run that observed it'),
});
export type WatchObserved = z.infer<typeof WatchObserved>;

export const WatchRun = z.strictObject({
  runId: z.string().nullable(),
  target: ModeName.nullable().describe('null when only the lock holder note is readable (the intent journal is root and group only)'),
  generation: z.int().min(0).nullable(),
  step: z.string().nullable().describe('the last step started: `<id>`, `rollback-<id>`, or `planned` before the first'),
  startedAt: z.iso.datetime(),
});
export type WatchRun = z.infer<typeof WatchRun>;

export const WatchOutcome = z.strictObject({
  runId: z.string().nullable(),
  target: ModeName.nullable(),
  generation: z.int().min(0).nullable(),
  outcome: Outcome,
  reason: z.string().nullable().describe('the first failed predicate, or why the run was refused'),
  finishedAt: z.iso.datetime(),
});
export type WatchOutcome = z.infer<typeof WatchOutcome>;

export const WatchState = z.strictObject({
  desired: WatchDesired.nullable().describe('null: nothing requested since boot'),
  observed: WatchObserved.nullable().describe('null: nothing observed yet'),
  run: WatchRun.nullable().describe('the run in progress; null: none'),
  lastOutcome: WatchOutcome.nullable(),
})
  // one definition in the JSON Schema, referenced by every kind of event
  .meta({ id: 'WatchState' });
export type WatchState = z.infer<typeof WatchState>;

const StepPhase = z.enum(['apply', 'rollback']);

const event = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({
    schemaVersion: z.literal(1),
    event: z.literal(kind),
    at: z.iso.datetime().describe('when it happened, as recorded; when watch saw it for a record without a time'),
    ...shape,
    state: WatchState.describe('the state after this event'),
  });

export const WatchEvent = z.discriminatedUnion('event', [
  event('state', {}).describe('the first line: the state when watch started'),
  event('desired', { desired: WatchDesired, previousMode: ModeName.nullable() }),
  event('observed', { observed: WatchObserved, previousMode: ObservedModeName.nullable() }),
  event('run-started', { run: WatchRun }),
  event('step-started', { runId: z.string().nullable(), stepId: z.string(), phase: StepPhase }),
  event('step-finished', {
    runId: z.string().nullable(),
    stepId: z.string(),
    phase: StepPhase,
    ok: z.boolean(),
    message: z.string().describe('`ok`, or why the step failed'),
    durationMs: z.number().min(0).nullable().describe('since the previous event of the run; null when unknown'),
  }),
  event('outcome', { outcome: WatchOutcome }),
]);
export type WatchEvent = z.infer<typeof WatchEvent>;
