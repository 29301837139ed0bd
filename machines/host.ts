// The port between the chart and the world. machines/ names its actors and
// calls only this interface; effects/ implements it for a real host and
// simulation/ for a simulated one, so the same chart runs against both.
// Types only: nothing here performs IO.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { NoticeRequest } from '../predicates/notice.ts';
import type {
  Action,
  AuditEvent,
  Classification,
  CommandEvidence,
  DesiredRecord,
  GuardReport,
  Intent,
  TransitionRecord,
} from '../schemas/records.ts';

/** A workload manager's operation (Slurm): the host's drainWork/resumeWork run it. */
export type WorkAction = Extract<Action, { kind: 'drain-work' | 'resume-work' }>;

/** A systemd/logind operation that changes the machine (waits are done by the engine, by observing). */
export type MutatingAction = Exclude<Action, { kind: 'wait' } | WorkAction>;

/** The typed result of one actuator call: never a thrown error. */
export interface ActionResult {
  ok: boolean;
  message: string;
  commands: CommandEvidence[];
}

export type LockResult =
  | { acquired: true; release(): Promise<void> }
  | { acquired: false; holder: string | null };

export interface Clock {
  /** wall clock, for records only; never used for deciding staleness */
  now(): Date;
  /** monotonic milliseconds, for durations and deadlines */
  monotonicMs(): number;
  /** resolves after `ms`, or rejects with the signal's reason when aborted */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What the host learns while the person at the desk is being warned. */
export type NoticeReport =
  | { type: 'NOTICE_SHOWN'; detail: string }
  | { type: 'NOTICE_UNDELIVERED'; reason: string }
  | { type: 'REFUSED'; by: string; via: 'notification' | 'mode cancel'; at: string };

/** The warning as the host shows it: the decision's request, for this run and target. */
export interface NoticeDelivery extends NoticeRequest {
  runId: string;
  target: ModeName;
  generation: number | null;
}

export interface Host {
  readonly config: Config;
  readonly clock: Clock;
  /** Reads every fact source. Tool failures become `unknown` facts; it rejects only on a bug. */
  observe(signal?: AbortSignal): Promise<Facts>;
  /**
   * Keeps an observation and the classification the run made of it (the real
   * host: last-observation.json, for `mode status` and `mode current`). Best
   * effort: never rejects; a host that keeps no such record leaves it out.
   */
  recordObservation?(facts: Facts, classification: Classification): Promise<void>;
  /** Runs one systemctl/loginctl operation with its timeout; never rejects. */
  perform(action: MutatingAction, signal?: AbortSignal): Promise<ActionResult>;
  /**
   * The workload manager this node serves (config.slurm): stops new work
   * landing here, with `reason` shown by the manager; running work goes on.
   * Bounded by the manager's command timeout; never rejects. The chart proves
   * it by observing the node drained. A host without it has no manager: the
   * step fails and names that.
   */
  drainWork?(reason: string, signal?: AbortSignal): Promise<ActionResult>;
  /** Lets work land on this node again (and sets the compute feature); the chart proves it by observing. Never rejects. */
  resumeWork?(signal?: AbortSignal): Promise<ActionResult>;
  /** Takes the controller lock without waiting; `acquired: false` means another run holds it. */
  lock(): Promise<LockResult>;
  readDesired(): Promise<DesiredRecord | null>;
  /** The run's intent, journaled where it survives a reboot, so a crash can be recovered. */
  readIntent(): Promise<Intent | null>;
  writeIntent(intent: Intent): Promise<void>;
  clearIntent(): Promise<void>;
  /** Writes last-transition.json and last-guards.json atomically. */
  writeRecord(record: TransitionRecord, guards: GuardReport | null): Promise<void>;
  appendAudit(event: Omit<AuditEvent, 'v' | 'seq' | 'bootId' | 'wall' | 'monoMs'>): Promise<void>;
  bootId(): Promise<string | null>;
  /**
   * Warns the person at the desk (a desktop notification with a "Keep my
   * session" action) and reports what it learns: shown or not, and a refusal
   * (the action, or `mode cancel`) whenever it comes. The chart keeps the
   * countdown; the host stops listening when `signal` aborts. Never throws. A
   * host without it cannot warn anyone, which the chart treats as unwarned.
   */
  warn?(delivery: NoticeDelivery, report: (event: NoticeReport) => void, signal: AbortSignal): void;
}
