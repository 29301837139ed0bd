// What the controller writes for others to read: reasons, guard reports,
// plan steps, transition records, the desired mode and the audit log.
import * as z from 'zod';
import { CommandEvidence } from './command-evidence.ts';
import { FactSource } from './facts.ts';
import { ModeName, ObservedModeName, UnitName } from './names.ts';

/** Evidence behind a verdict: where a fact came from and the lines that matter. */
export const Evidence = z.strictObject({
  fact: z.string().describe('dotted path into the facts, e.g. units.vllm.service.activeState'),
  source: FactSource.nullable(),
  lines: z.array(z.string()).describe('the relevant output lines or values'),
});
export type Evidence = z.infer<typeof Evidence>;

/** A coded reason, shaped like a zod issue: code, path, message. */
export const Reason = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  evidence: z.array(Evidence),
});
export type Reason = z.infer<typeof Reason>;

export const Classification = z.discriminatedUnion('mode', [
  z.strictObject({ mode: ModeName, evidence: z.array(Evidence) }),
  z.strictObject({
    mode: z.literal('degraded'),
    degradedFrom: ModeName.describe('the mode the facts come closest to'),
    conflicts: z.array(Reason).min(1),
  }),
  z.strictObject({ mode: z.literal('unknown'), missing: z.array(Reason).min(1) }),
]);
export type Classification = z.infer<typeof Classification>;

export const GuardSeverity = z.enum(['hard', 'soft']);
export const GuardVerdict = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  severity: GuardSeverity,
  passed: z.boolean(),
  /** set when the verdict failed closed because a fact was unknown */
  missingFact: z.string().nullable(),
  message: z.string(),
  evidence: z.array(Evidence),
});
export type GuardVerdict = z.infer<typeof GuardVerdict>;

export const GuardReport = z.strictObject({
  schemaVersion: z.literal(1),
  target: ModeName,
  from: ObservedModeName,
  evaluatedAt: z.iso.datetime(),
  verdict: z.enum(['pass', 'soft-only', 'hard-block']),
  verdicts: z.array(GuardVerdict),
});
export type GuardReport = z.infer<typeof GuardReport>;

const Weights = z.strictObject({ cpuWeight: z.int().nullable(), ioWeight: z.int().nullable() });

/** One systemd/logind operation, or a wait on an observed predicate. */
export const Action = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('start'), unit: UnitName }),
  z.strictObject({ kind: z.literal('stop'), unit: UnitName }),
  z.strictObject({ kind: z.literal('isolate'), unit: UnitName }),
  z.strictObject({ kind: z.literal('set-property'), unit: UnitName, weights: Weights }),
  z.strictObject({
    kind: z.literal('terminate-session'),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    user: z.string().nullable(),
    seat: z.string().nullable(),
  }),
  z.strictObject({
    kind: z.literal('stop-user-unit'),
    uid: z.int().min(0).describe('the user whose manager (user@UID.service) runs the unit'),
    unit: UnitName,
  }),
  /** the workload manager (Slurm) stops sending work to this node; running work goes on. Proven by observing the node drained */
  z.strictObject({ kind: z.literal('drain-work'), reason: z.string().min(1).describe('what the manager shows, `dubnium: <target>`') }),
  /** the workload manager may send work again (and the compute feature is set); proven by observing the node not drained */
  z.strictObject({ kind: z.literal('resume-work') }),
  z.strictObject({
    kind: z.literal('wait'),
    until: z.enum(['gpu-released', 'vllm-ready', 'vllm-gone', 'graphical-up', 'sessions-closed', 'work-ended', 'work-drained', 'work-resumed']),
    timeoutMs: z.int().min(0).describe('0: one observation decides'),
  }),
]);
export type Action = z.infer<typeof Action>;

export const PlanStep = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('stable name; failpoints and records use it'),
  description: z.string(),
  action: Action,
  /** what undoes this step on rollback; null when nothing needs undoing (waits) */
  inverse: Action.nullable(),
  /** what a user loses when the step runs, e.g. a terminated session */
  losses: z.array(z.string()),
});
export type PlanStep = z.infer<typeof PlanStep>;

export { CommandEvidence } from './command-evidence.ts';

export const StepRecord = z.strictObject({
  stepId: z.string(),
  phase: z.enum(['apply', 'rollback']),
  action: Action,
  ok: z.boolean(),
  message: z.string(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  commands: z.array(CommandEvidence),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const Outcome = z.enum([
  'succeeded',
  'noop',
  'blocked',
  'rolled-back',
  'degraded',
  'busy',
  'interrupted',
  'recovered',
  'rejected',
  'canceled',
]);
export type Outcome = z.infer<typeof Outcome>;

/** The person a switch warned before ending their session, and what came of it. */
export const NoticeRecord = z.strictObject({
  user: z.string().nullable(),
  uid: z.int().nullable(),
  sessionId: z.string(),
  graceMs: z.int().min(0),
  /** shown: the notification daemon took it; unwarned: it could not be shown (the reason says why) */
  delivery: z.enum(['pending', 'shown', 'unwarned']),
  deliveryDetail: z.string().nullable(),
  refusal: z
    .strictObject({
      by: z.string().describe('the user who refused (root for a refusal by root)'),
      via: z.enum(['notification', 'mode cancel']),
      at: z.iso.datetime(),
    })
    .nullable(),
});
export type NoticeRecord = z.infer<typeof NoticeRecord>;

export const TransitionRecord = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string(),
  target: ModeName,
  generation: z.int().min(0).nullable().describe('the desired generation this run reconciled to'),
  outcome: Outcome,
  from: Classification.nullable(),
  finalObservation: Classification.nullable(),
  firstFailedPredicate: Reason.nullable(),
  guards: GuardReport.nullable(),
  plan: z.array(PlanStep),
  steps: z.array(StepRecord),
  phases: z.array(z.strictObject({ name: z.string(), durationMs: z.number().min(0) })),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  bootId: z.string().nullable(),
  /** the warning given before ending a session someone was using; absent when none was due */
  notice: NoticeRecord.nullable().optional(),
  /**
   * What went wrong without changing the outcome: the jobs a `--force` switch left running on the
   * node (`slurm-jobs-left-running`), a resume of the node that was not observed (`slurm-resume-unproven`)
   */
  warnings: z.array(Reason).optional(),
});
export type TransitionRecord = z.infer<typeof TransitionRecord>;

export const DesiredRecord = z.strictObject({
  schemaVersion: z.literal(1),
  mode: ModeName,
  generation: z.int().min(1),
  requestedAt: z.iso.datetime(),
  requestedBy: z.string().nullable().describe('the user who asked, when the recorder knows it (null for a start of the unit by a member of modectl: systemd does not say who started it)'),
  via: z
    .enum(['request', 'boot', 'unit-start'])
    .optional()
    .describe('who recorded it: `mode request` (root), mode-boot.service, or a controller run for the instance it was started as, because nobody recorded that request before (a member of modectl, or a plain systemctl start)'),
  bootId: z.string().nullable().optional().describe('the boot the record was made in'),
  monoMs: z.number().nullable().optional().describe('CLOCK_MONOTONIC ms of the newest request for this mode: when it was recorded, or a later start of its unit; orders it against a controller run started in the same boot'),
  noGrace: z.boolean().optional().describe('`mode request --no-grace` (root only): end a session without warning its user or waiting'),
  force: z.boolean().optional().describe('`mode request --force` (root only): leave compute although Slurm jobs still run on the node (they are not killed; the record names them)'),
});
export type DesiredRecord = z.infer<typeof DesiredRecord>;

export const Intent = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string(),
  target: ModeName,
  generation: z.int().min(0).nullable(),
  step: z.string().describe('the last step started'),
  startedAt: z.iso.datetime(),
  bootId: z.string().nullable(),
  pid: z.int(),
});
export type Intent = z.infer<typeof Intent>;

export const AuditEvent = z.strictObject({
  v: z.literal(1),
  seq: z.int().min(0),
  bootId: z.string().nullable(),
  wall: z.iso.datetime(),
  monoMs: z.number().nullable(),
  runId: z.string().nullable(),
  event: z.enum(['desired', 'intent', 'step', 'outcome', 'recovered', 'rejected', 'notice']),
  target: ModeName.nullable(),
  generation: z.int().min(0).nullable(),
  outcome: Outcome.nullable(),
  reason: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
