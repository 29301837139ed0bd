// A simulated Slurm controller for this node: jobs that end after a time, a
// DRAIN flag with its reason, an optional compute feature, and faults
// (slurmctld unreachable, a resume that answers but does not take). The
// words it uses are Slurm 22.05's (scontrol show node: State=MIXED+DRAIN,
// Reason=..., ActiveFeatures=...; the error text of a slurmctld that is down,
// as captured in test/fixtures/real-outputs/n_slurm/).
import type { ActionResult } from '../machines/host.ts';
import type { Fact, SlurmJob, SlurmNode } from '../schemas/facts.ts';
import type { CommandEvidence } from '../schemas/records.ts';
import type { SimulatedClock } from './clock.ts';

export interface SimulatedJobInit {
  id: string;
  user: string;
  name?: string | null;
  /** how long it runs from the start of the simulation (or its submission); null: until the test ends it */
  runsForMs?: number | null;
}

export interface SlurmInit {
  node?: string;
  jobs?: SimulatedJobInit[];
  drained?: boolean;
  reason?: string | null;
  /** features the node has (AvailableFeatures); the compute feature is active only while resumed */
  features?: string[];
  /** slurmctld answers (default true); false: every call and observation fails as Slurm 22.05 says */
  reachable?: boolean;
  /** scontrol update state=resume exits 0 but the node stays drained (a reason set by an admin, a second controller) */
  resumeDoesNotTake?: boolean;
  /** the feature set while compute is proven (config.slurm.computeFeature) */
  computeFeature?: string | null;
}

interface Job {
  id: string;
  user: string;
  name: string | null;
  startedAtMs: number;
  endsAtMs: number | null;
}

/** How long one scontrol call takes on loopback. */
const CALL_MS = 40;
const UNREACHABLE = 'slurm_load_node error: Unable to contact slurm controller (connect failure)';
const UPDATE_UNREACHABLE = 'slurm_update error: Unable to contact slurm controller (connect failure)';

export class SimulatedSlurm {
  readonly node: string;
  drained: boolean;
  reason: string | null;
  reachable: boolean;
  resumeDoesNotTake: boolean;
  readonly available: string[];
  readonly computeFeature: string | null;
  active: string[];
  /** every call the controller made, in order: `drain <reason>`, `resume` */
  readonly calls: string[] = [];
  #jobs: Job[];

  constructor(init: SlurmInit = {}) {
    this.node = init.node ?? 'dubnium-workstation';
    this.drained = init.drained ?? false;
    this.reason = init.reason ?? null;
    this.reachable = init.reachable ?? true;
    this.resumeDoesNotTake = init.resumeDoesNotTake ?? false;
    this.computeFeature = init.computeFeature ?? null;
    this.available = [...new Set([...(init.features ?? []), ...(this.computeFeature === null ? [] : [this.computeFeature])])];
    this.active = this.drained || this.computeFeature === null ? [] : [this.computeFeature];
    this.#jobs = (init.jobs ?? []).map((j) => ({ id: j.id, user: j.user, name: j.name ?? null, startedAtMs: 0, endsAtMs: j.runsForMs === undefined || j.runsForMs === null ? null : j.runsForMs }));
  }

  /** A job lands only on a node that is not drained; false when it would stay pending. */
  submit(job: SimulatedJobInit, nowMs: number): boolean {
    if (this.drained) return false;
    this.#jobs.push({ id: job.id, user: job.user, name: job.name ?? null, startedAtMs: nowMs, endsAtMs: job.runsForMs === undefined || job.runsForMs === null ? null : nowMs + job.runsForMs });
    return true;
  }

  /** scancel, by the job's owner: never by the controller. */
  end(id: string): void {
    this.#jobs = this.#jobs.filter((j) => j.id !== id);
  }

  running(nowMs: number): Job[] {
    return this.#jobs.filter((j) => j.endsAtMs === null || j.endsAtMs > nowMs);
  }

  fact(nowMs: number, at: string): Fact<SlurmNode> {
    const source = { kind: 'simulated' as const, name: 'slurm' };
    if (!this.reachable) return { status: 'unknown', code: 'tool-failed', reason: UNREACHABLE, excerpt: [UNREACHABLE], source, readAt: at };
    const jobs: SlurmJob[] = this.running(nowMs).map((j) => ({ id: j.id, user: j.user, name: j.name, state: 'RUNNING', startedAt: new Date(Date.parse(at) - (nowMs - j.startedAtMs)).toISOString() }));
    const base = jobs.length > 0 ? 'MIXED' : 'IDLE';
    return {
      status: 'known',
      value: {
        node: this.node,
        states: this.drained ? [base, 'DRAIN'] : [base],
        drained: this.drained,
        reason: this.drained ? this.reason : null,
        features: { available: [...this.available], active: [...this.active] },
        jobs,
      },
      source,
      readAt: at,
    };
  }

  async drain(reason: string, clock: SimulatedClock, signal?: AbortSignal): Promise<ActionResult> {
    this.calls.push(`drain ${reason}`);
    const argv = ['scontrol', 'update', `nodename=${this.node}`, 'state=drain', `reason=${reason}`];
    await clock.sleep(CALL_MS, signal);
    if (!this.reachable) return this.#unreachable(argv);
    this.drained = true;
    this.reason = reason;
    this.active = [];
    return { ok: true, message: `node ${this.node} drained (reason "${reason}")`, commands: [command(argv, 0, [], CALL_MS)] };
  }

  async resume(clock: SimulatedClock, signal?: AbortSignal): Promise<ActionResult> {
    this.calls.push('resume');
    const argv = ['scontrol', 'update', `nodename=${this.node}`, 'state=resume'];
    await clock.sleep(CALL_MS, signal);
    if (!this.reachable) return this.#unreachable(argv);
    if (!this.resumeDoesNotTake) {
      this.drained = false;
      this.reason = null;
      this.active = this.computeFeature === null ? [] : [this.computeFeature];
    }
    return { ok: true, message: `node ${this.node} resumed`, commands: [command(argv, 0, [], CALL_MS)] };
  }

  #unreachable(argv: string[]): ActionResult {
    return { ok: false, message: `slurmctld cannot be reached: ${UPDATE_UNREACHABLE}`, commands: [command(argv, 1, [UPDATE_UNREACHABLE], CALL_MS)] };
  }
}

const command = (argv: string[], exitCode: number, stderr: string[], durationMs: number): CommandEvidence => ({
  argv,
  exitCode,
  signal: null,
  timedOut: false,
  stdout: [],
  stderr,
  durationMs,
});
