// SimulatedHost: the Host port over an in-memory machine, for tests and the
// demo. It keeps every mutating call (so tests can count them), every record,
// intent and audit event, and a lock with flock's semantics: held until
// released or until the holder "dies" (crash()).
import type { ActionResult, Host, LockResult, MutatingAction, NoticeDelivery, NoticeReport } from '../machines/host.ts';
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { AuditEvent, DesiredRecord, GuardReport, Intent, TransitionRecord } from '../schemas/records.ts';
import { argvOf, evidence } from './argv.ts';
import { simulatedFacts } from './facts.ts';
import { SimulatedClock } from './clock.ts';
import { SimulatedSlurm, type SlurmInit } from './slurm.ts';
import { SimulatedCrash, type Faults } from './faults.ts';
import { SimulatedWorld, type WorldInit } from './world.ts';
import { MODE_BOOT_UNIT, runModeBoot } from './mode-boot.ts';
import { warnSimulatedPerson, type SimulatedPerson } from './person.ts';
import type { ModeName } from '../schemas/names.ts';

export interface SimulatedHostOptions extends WorldInit {
  config: Config;
  faults?: Faults;
  /** how long display memory lingers on the GPU after the display manager stops */
  gpuDrainMs?: number;
  /** how long vLLM takes to answer its health check after it starts */
  vllmWarmupMs?: number;
  /** the person at the desk, warned before a switch ends their session (default: shown, never answers) */
  person?: SimulatedPerson;
  /** the Slurm controller of this node; observed only when config.slurm.enable */
  slurm?: SlurmInit;
}

/** Simulated durations of each operation, in ms. */
const OPERATION_MS = { start: 300, stop: 200, isolate: 1500, 'set-property': 20, 'terminate-session': 100, 'stop-user-unit': 150 } as const;

export class SimulatedHost implements Host {
  readonly config: Config;
  readonly clock: SimulatedClock;
  readonly world: SimulatedWorld;
  faults: Faults;
  readonly performed: MutatingAction[] = [];
  readonly records: { record: TransitionRecord; guards: GuardReport | null }[] = [];
  readonly audit: AuditEvent[] = [];
  readonly intents: Intent[] = [];
  desired: DesiredRecord | null = null;
  intent: Intent | null = null;
  /** controller unit starts that runs of mode-boot.service queued (--no-block); a test runs them as PID 1 would */
  readonly pendingControllerStarts: ModeName[] = [];
  observations = 0;
  /** every warning the controller gave, in order */
  readonly notices: NoticeDelivery[] = [];
  person: SimulatedPerson;
  readonly slurm: SimulatedSlurm;
  lockHeld = false;
  locksTaken = 0;
  readonly #gpuDrainMs: number;
  readonly #vllmWarmupMs: number;
  #vllmStartedAtMs: number | null = null;

  constructor(options: SimulatedHostOptions) {
    this.config = options.config;
    this.clock = new SimulatedClock();
    this.world = new SimulatedWorld(options.config, options);
    this.faults = options.faults ?? {};
    this.#gpuDrainMs = options.gpuDrainMs ?? 2000;
    this.#vllmWarmupMs = options.vllmWarmupMs ?? 45_000;
    this.person = options.person ?? {};
    // the node is the one the config names, as the real adapter asks about it
    const { nodeName, computeFeature } = options.config.slurm;
    this.slurm = new SimulatedSlurm({ node: nodeName ?? options.config.hostname, computeFeature, ...options.slurm });
    if (this.world.isActive(options.config.units.vllm)) this.#vllmStartedAtMs = -this.#vllmWarmupMs;
  }

  // ---- Host port -------------------------------------------------------

  observe(): Promise<Facts> {
    this.observations += 1;
    const at = this.clock.now().toISOString();
    return Promise.resolve(
      simulatedFacts({ world: this.world, config: this.config, faults: this.faults, slurm: this.slurm, gpuDrainMs: this.#gpuDrainMs }, this.observations, at, this.clock.monotonicMs()),
    );
  }

  drainWork(reason: string, signal?: AbortSignal): Promise<ActionResult> {
    return this.slurm.drain(reason, this.clock, signal);
  }
  resumeWork(signal?: AbortSignal): Promise<ActionResult> {
    return this.slurm.resume(this.clock, signal);
  }

  async perform(action: MutatingAction, signal?: AbortSignal): Promise<ActionResult> {
    this.performed.push(action);
    const started = this.clock.monotonicMs();
    const argv = argvOf(action);
    const finish = (ok: boolean, message: string, exitCode: number | null, stderr: string[] = []): ActionResult => ({
      ok,
      message,
      commands: [evidence(argv, exitCode, stderr, this.clock.monotonicMs() - started, exitCode === null)],
    });
    try {
      await this.clock.sleep(OPERATION_MS[action.kind], signal);
      const result = await this.#apply(action, signal, finish);
      await this.#runModeBoots();
      return result;
    } catch {
      return finish(false, `${argv.join(' ')} was cancelled: the step timed out`, null);
    }
  }

  lock(): Promise<LockResult> {
    if (this.lockHeld) return Promise.resolve({ acquired: false, holder: 'another simulated run' });
    this.lockHeld = true;
    this.locksTaken += 1;
    return Promise.resolve({
      acquired: true,
      release: () => {
        this.lockHeld = false;
        return Promise.resolve();
      },
    });
  }

  readDesired(): Promise<DesiredRecord | null> {
    return Promise.resolve(this.desired);
  }
  readIntent(): Promise<Intent | null> {
    return Promise.resolve(this.intent);
  }
  writeIntent(intent: Intent): Promise<void> {
    this.intent = intent;
    this.intents.push(intent);
    return Promise.resolve();
  }
  clearIntent(): Promise<void> {
    this.intent = null;
    return Promise.resolve();
  }
  writeRecord(record: TransitionRecord, guards: GuardReport | null): Promise<void> {
    this.records.push({ record, guards });
    return Promise.resolve();
  }
  appendAudit(event: Omit<AuditEvent, 'v' | 'seq' | 'bootId' | 'wall' | 'monoMs'>): Promise<void> {
    this.audit.push({ v: 1, seq: this.audit.length, bootId: 'sim-boot', wall: this.clock.now().toISOString(), monoMs: this.clock.monotonicMs(), ...event });
    return Promise.resolve();
  }
  bootId(): Promise<string | null> {
    return Promise.resolve('sim-boot');
  }
  warn(delivery: NoticeDelivery, report: (event: NoticeReport) => void, signal: AbortSignal): void {
    this.notices.push(delivery);
    warnSimulatedPerson(this.person, this.clock, delivery, report, signal);
  }

  // ---- test helpers ----------------------------------------------------

  /** The failpoint to pass to runController: throws SimulatedCrash after faults.dieAfterStep. */
  readonly failpoint = (stepId: string): void => {
    if (this.faults.dieAfterStep === stepId) throw new SimulatedCrash(stepId);
  };

  /** The controller process died: the kernel drops its flock; everything else stays as it was. */
  crash(): void {
    this.lockHeld = false;
  }

  /** Records a desired mode as `mode request` would. */
  request(mode: DesiredRecord['mode'], via: 'request' | 'boot' = 'request'): DesiredRecord {
    this.desired = {
      schemaVersion: 1,
      mode,
      generation: (this.desired?.generation ?? 0) + 1,
      requestedAt: this.clock.now().toISOString(),
      requestedBy: via === 'boot' ? 'boot' : 'test',
      via,
      bootId: 'sim-boot',
      monoMs: this.clock.monotonicMs(),
    };
    return this.desired;
  }

  /** The boot transaction: multi-user.target starts mode-boot.service (when the world has it, WorldInit.modeBoot). */
  async boot(): Promise<void> {
    this.world.startWithDependencies(MODE_BOOT_UNIT, this.clock.monotonicMs());
    await this.#runModeBoots();
  }

  /** `mode boot` for every run of mode-boot.service a start job caused (simulation/mode-boot.ts). */
  async #runModeBoots(): Promise<void> {
    const model = this.world.modeBoot;
    for (; model && this.world.modeBootRuns > 0; this.world.modeBootRuns--) {
      await runModeBoot(
        {
          desired: this.desired,
          audit: this.audit,
          bootId: () => this.bootId(),
          recordDesired: async (mode, via) => {
            const record = this.request(mode, via);
            await this.appendAudit({ runId: null, event: 'desired', target: mode, generation: record.generation, outcome: null, reason: null, detail: { requestedBy: record.requestedBy, via, previousMode: null } });
            return record;
          },
          queueControllerStart: (mode) => this.pendingControllerStarts.push(mode),
        },
        model,
        this.config.boot.defaultMode,
      );
    }
  }

  // ---- semantics -------------------------------------------------------

  async #apply(
    action: MutatingAction,
    signal: AbortSignal | undefined,
    finish: (ok: boolean, message: string, exitCode: number | null, stderr?: string[]) => ActionResult,
  ): Promise<ActionResult> {
    const w = this.world;
    const now = () => this.clock.monotonicMs();
    const f = this.faults;
    if (action.kind === 'terminate-session') {
      const ended = w.terminateSession(action.sessionId);
      return finish(true, ended ? `session ${action.sessionId} terminated` : `session ${action.sessionId} was already gone`, 0);
    }
    // the simulated user managers run no units of their own: a stop there has nothing to change
    if (action.kind === 'stop-user-unit') return finish(true, `${action.unit} of uid ${action.uid} stopped`, 0);
    const unit = w.unit(action.unit);
    if (!unit || unit.loadState !== 'loaded') {
      return finish(false, `Unit ${action.unit} not loaded.`, 5, [`Failed to ${action.kind} ${action.unit}: Unit ${action.unit} not loaded.`]);
    }
    switch (action.kind) {
      case 'set-property':
        if (f.failSetProperty?.includes(action.unit)) return finish(false, `Failed to set properties on ${action.unit}`, 1, ['Access denied']);
        unit.cpuWeight = action.weights.cpuWeight;
        unit.ioWeight = action.weights.ioWeight;
        return finish(true, `${action.unit} weights set`, 0);
      case 'stop':
        if (f.hangStop?.includes(action.unit)) return this.#hang(signal, finish);
        if (f.failStop?.includes(action.unit)) return finish(false, `Job for ${action.unit} failed.`, 1, [`Job for ${action.unit} failed.`]);
        w.stopWithDependents(action.unit, now());
        if (action.unit === this.config.units.vllm) this.#vllmStartedAtMs = null;
        return finish(true, `${action.unit} stopped`, 0);
      case 'start':
      case 'isolate': {
        if (f.hangStart?.includes(action.unit)) {
          w.markActivating(action.unit);
          return this.#hang(signal, finish);
        }
        if (f.failStart?.includes(action.unit)) {
          w.markFailed(action.unit);
          return finish(false, `Job for ${action.unit} failed because the control process exited with error code.`, 1);
        }
        if (action.unit === this.config.units.vllmReady) return this.#startVllmReady(signal, finish);
        if (action.kind === 'isolate') w.isolate(action.unit, now());
        else w.startWithDependencies(action.unit, now());
        if (action.unit === this.config.units.vllm && this.#vllmStartedAtMs === null) this.#vllmStartedAtMs = now();
        if (f.crashAfterStart?.includes(action.unit)) w.markFailed(action.unit);
        return finish(true, `${action.unit} ${action.kind === 'isolate' ? 'isolated' : 'started'}`, 0);
      }
    }
  }

  /** vllm-ready.service: a oneshot that returns once vLLM answers /health. */
  async #startVllmReady(
    signal: AbortSignal | undefined,
    finish: (ok: boolean, message: string, exitCode: number | null) => ActionResult,
  ): Promise<ActionResult> {
    const u = this.config.units;
    if (!this.world.isActive(u.vllm)) {
      this.world.startWithDependencies(u.vllm, this.clock.monotonicMs());
      this.#vllmStartedAtMs = this.clock.monotonicMs();
    }
    if (this.faults.vllmNeverReady) return this.#hang(signal, finish);
    const readyAt = (this.#vllmStartedAtMs ?? 0) + this.#vllmWarmupMs;
    const wait = readyAt - this.clock.monotonicMs();
    if (wait > 0) await this.clock.sleep(wait, signal);
    this.world.setActive(u.vllmReady, true, this.clock.monotonicMs());
    return finish(true, `${u.vllmReady} started: vLLM answers /health`, 0);
  }

  async #hang(signal: AbortSignal | undefined, finish: (ok: boolean, message: string, exitCode: number | null) => ActionResult): Promise<ActionResult> {
    await new Promise<void>((resolve) => {
      if (!signal || signal.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    return finish(false, 'the operation hung and was cancelled when its step timed out', null);
  }
}
