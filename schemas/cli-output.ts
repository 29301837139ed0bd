// The `--json` output of every `mode` verb. Published as JSON Schemas
// (schemas/json/cli-*.schema.json) so that scripts can rely on them; the CLI
// itself only imports the types, so no verb pays for zod to print JSON.
import * as z from 'zod';
import { Facts } from './facts.ts';
import { ModeName, ObservedModeName } from './names.ts';
import { AuditEvent, DesiredRecord, Evidence, GuardReport, Intent, Outcome, PlanStep, Reason, TransitionRecord } from './records.ts';
import { LockHolderNote } from './runtime-records.ts';

const ExitStatus = z.strictObject({
  code: z.int().min(0).max(255).describe('the exit status of the command'),
  name: z.string().describe('its name in `mode --help` (ok, pending, blocked, ...)'),
});

/** A record the CLI could not read, and why; the verb goes on without it. */
export const RecordProblem = z.strictObject({ file: z.string(), reason: z.string() });

/** An observed mode with what proves it (or what conflicts, or what is missing). */
export const ObservedSummary = z.strictObject({
  mode: ObservedModeName,
  observedAt: z.iso.datetime(),
  runId: z.string().nullable().describe('the run that observed it; null for an observation made by the CLI'),
  degradedFrom: ModeName.nullable(),
  evidence: z.array(Evidence).describe('what proves the mode (empty unless a mode is proven)'),
  conflicts: z.array(Reason).describe('why the facts match no mode (degraded)'),
  missing: z.array(Reason).describe('the facts that could not be read (unknown)'),
});
export type ObservedSummary = z.infer<typeof ObservedSummary>;

export const LastOutcome = z.strictObject({
  runId: z.string(),
  target: ModeName,
  generation: z.int().min(0).nullable(),
  outcome: Outcome,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  firstFailedPredicate: Reason.nullable(),
  /** the record's warnings: jobs --force left running on the Slurm node, a resume of it not observed; absent when none */
  warnings: z.array(Reason).optional(),
});
export type LastOutcome = z.infer<typeof LastOutcome>;

export const StatusOutput = z.strictObject({
  schemaVersion: z.literal(1),
  desired: DesiredRecord.nullable().describe('null: nothing requested since boot; the boot default applies'),
  observed: ObservedSummary.nullable().describe('null: no observation recorded yet'),
  pending: z.strictObject({
    pending: z.boolean(),
    inFlight: z.boolean().nullable().describe('a controller run holds the lock; null: cannot tell'),
    reasons: z.array(z.string()),
  }),
  lastOutcome: LastOutcome.nullable(),
  lockHolder: LockHolderNote.nullable(),
  interruptedRun: Intent.nullable().describe('an intent with no outcome: a run that stopped and the next run recovers'),
  problems: z.array(RecordProblem),
  exit: ExitStatus,
});
export type StatusOutput = z.infer<typeof StatusOutput>;

export const CurrentOutput = z.strictObject({
  schemaVersion: z.literal(1),
  source: z.enum(['recorded', 'fresh']).describe('recorded: last-observation.json of the last run; fresh: observed now (--refresh)'),
  observed: ObservedSummary.nullable().describe('null: nothing recorded yet'),
  facts: Facts.nullable(),
  problems: z.array(RecordProblem),
  exit: ExitStatus,
});
export type CurrentOutput = z.infer<typeof CurrentOutput>;

export const DesiredOutput = z.strictObject({
  schemaVersion: z.literal(1),
  desired: DesiredRecord.nullable(),
  problems: z.array(RecordProblem),
});
export type DesiredOutput = z.infer<typeof DesiredOutput>;

export const HistoryOutput = z.strictObject({
  schemaVersion: z.literal(1),
  file: z.string(),
  events: z.array(AuditEvent).describe('oldest first, the latest N'),
  skipped: z.int().min(0).describe('lines that could not be read'),
  problems: z.array(RecordProblem),
});
export type HistoryOutput = z.infer<typeof HistoryOutput>;

export const CliError = z.strictObject({
  error: z.strictObject({
    exit: z.int(),
    status: z.string().nullable(),
    message: z.string(),
    hints: z.array(z.string()),
  }),
});

/** A state of the controller chart (machines/render/graph.ts). */
export const ChartState = z.strictObject({
  id: z.string(),
  key: z.string(),
  type: z.enum(['atomic', 'compound', 'parallel', 'final', 'history']),
  parent: z.string().nullable(),
  initial: z.string().nullable(),
  children: z.array(z.string()),
});

/** A transition of the controller chart, `always` ones included. */
export const ChartEdge = z.strictObject({
  from: z.string(),
  to: z.string(),
  kind: z.enum(['event', 'done', 'error', 'after', 'always']),
  event: z.string(),
  guard: z.string().nullable(),
  otherwise: z.boolean().describe('an unguarded fallback after guarded siblings'),
});

export const ExplainOutput = z.strictObject({
  schemaVersion: z.literal(1),
  target: ModeName,
  observed: ObservedSummary,
  runNow: z.enum(['noop', 'blocked', 'apply']).describe('what a run would do on this observation'),
  path: z.array(
    z.strictObject({
      edge: ChartEdge,
      when: z.enum(['now', 'predicted']).describe('now: decided by this observation; predicted: decided during a run'),
      guardHeld: z.boolean().nullable(),
      rejected: z.array(z.string()).describe('guards of earlier sibling transitions that did not hold'),
    }),
  ),
  guards: GuardReport,
  plan: z.array(PlanStep),
  losses: z.array(z.string()).describe('what a user loses if the plan runs'),
  chart: z.strictObject({ root: z.string(), states: z.array(ChartState), edges: z.array(ChartEdge) }),
});
export type ExplainOutput = z.infer<typeof ExplainOutput>;

export const RequestOutput = z.strictObject({
  schemaVersion: z.literal(1),
  target: ModeName,
  unit: z.string().describe('mode-controller@<mode>.service'),
  desired: DesiredRecord.nullable().describe('the desired record this request wrote; null when this user may not write it'),
  notes: z.array(z.string()),
  waited: z.boolean().describe('false with --no-wait'),
  outcome: Outcome.nullable().describe('null with --no-wait'),
  record: TransitionRecord.nullable().describe("the run's transition record; null with --no-wait or when the run wrote none (busy)"),
  unitExitStatus: z.int().nullable(),
  exit: ExitStatus,
});
export type RequestOutput = z.infer<typeof RequestOutput>;

export const DoctorOutput = z.strictObject({
  schemaVersion: z.literal(1),
  configPath: z.string(),
  checks: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      status: z.enum(['pass', 'warn', 'fail', 'unknown']).describe('warn: told, the exit status stays 0; fail: exit 12 (check-failed); unknown: a fact could not be read, exit 9 when nothing failed'),
      message: z.string(),
      evidence: z.array(Evidence),
    }),
  ),
  exit: ExitStatus,
});
export type DoctorOutput = z.infer<typeof DoctorOutput>;

export const GuardsOutput = GuardReport.extend({ exit: ExitStatus });
export type GuardsOutput = z.infer<typeof GuardsOutput>;

export { ExitStatus };
