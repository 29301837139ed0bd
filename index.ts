// The library's public face: the mode controller chart and the one call that
// runs it, the pure predicates it is guarded by, the Host port it drives, and
// the schemas of everything it reads and writes.

/**
 * The XState v5 chart of one controller run: lock → desired mode → observe →
 * classified (desktop | studioLocal | compute | degraded | unknown) → guards →
 * intent → apply steps → verify by a fresh observation → roll back and prove
 * → record one outcome → clear intent → release the lock. Its effect actors
 * are declared by name and must be supplied with `controller.provide({ actors: actorsFor(host) })`.
 */
export { controller, type ControllerMachine } from './machines/controller.ts';

/**
 * Runs the chart once against a Host and resolves with the run's single
 * TransitionRecord (succeeded, noop, blocked, rolled-back, degraded or busy).
 * Level-triggered: it reconciles to the newest desired mode the host holds.
 */
export { runController, type RunOptions } from './machines/run-controller.ts';

/** Builds the chart's named effect actors (acquireLock, observe, applyStep, record, ...) from a Host. */
export { actorsFor, type ActorHooks, type EngineActors } from './machines/actors.ts';

/** The port between the chart and the world: effects/ implements it for a real host, simulation/ for a simulated one. */
export type { Host, Clock, ActionResult, LockResult, MutatingAction, WorkAction } from './machines/host.ts';

/** The run's input and context, for callers that create the actor themselves (explain, tests). */
export type { RunInput, RunContext } from './machines/context.ts';

/**
 * Classifies facts as desktop, studio-local, compute, degraded (with the mode
 * it degrades from and every conflicting fact) or unknown (with the missing
 * facts). Pure and total over any facts matching the Facts schema.
 */
export { classify } from './predicates/classify.ts';

/** Whether fresh facts prove a mode, as a Check with coded reasons (`isTargetReached` for a boolean). */
export { targetReached, isTargetReached, modeCheck } from './predicates/modes.ts';

/** Whether display processes have released every compute GPU (below thresholds.gpuResidualMiB). */
export { gpuReleased } from './predicates/gpu-release.ts';

/**
 * The one decision of a switch: the classification of the facts, the plan to the target and the guards of that plan.
 * The controller's run and `mode explain` / `mode guards` call it.
 */
export { decide, type Decision } from './predicates/decide.ts';

/** The guard report for switching to a target along a plan: hard verdicts block, soft ones warn, unknown facts fail closed. */
export { evaluateGuards } from './predicates/guards.ts';

/** The first failed guard verdict of a report, as a coded Reason. */
export { firstFailedVerdict } from './predicates/guard-verdict.ts';

/**
 * Slurm follows the mode: the hard guard of leaving compute with jobs on the node, whether a verdict blocks at
 * this point of a run (before or after the drain, --force), and when the run drains or resumes the node.
 */
export { slurmJobsRunning, blocksNow, drainDue, resumeDue, leavesCompute } from './predicates/work.ts';

/** The ordered steps from the observed state to a target, each with the inverse rollback runs. */
export { planTransition } from './predicates/plan.ts';

/** The predicate a `wait` step polls for. */
export { waitCondition, type WaitUntil } from './predicates/wait-conditions.ts';

/** How long one action may take, from config.thresholds.stepTimeoutsMs. */
export { stepTimeoutMs } from './predicates/timeouts.ts';

/** A predicate's result: conflicting facts, missing facts and the evidence read; `holds` when both are empty. */
export { type Check, holds, firstReason } from './predicates/check.ts';

/** Every schema (zod) and type Dubnium reads or writes: config, facts, records. */
export * from './schemas/index.ts';

/** Turns a published zod schema into the JSON Schema written under schemas/json/. */
export { jsonSchemaFor } from './schemas/json-schema.ts';
