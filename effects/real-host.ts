// The Host port for a real machine: observers + actuators + the record store,
// on the system clock. The chart sees only the port, so this file is the one
// place where the real world is plugged in.
import type { Host } from '../machines/host.ts';
import type { Config } from '../schemas/config.ts';
import type { Fact, Gpu } from '../schemas/facts.ts';
import type { ObservedTopology } from '../schemas/topology.ts';
import type { RunCommand } from './exec/command-result.ts';
import { performAction } from './actuate/perform-action.ts';
import { runTool } from './exec/run-tool.ts';
import { warnDesk } from './notice/warn-desk.ts';
import { observeTopology } from './observe/collect-topology.ts';
import { observeFacts } from './observe/observe-facts.ts';
import type { FsRoots } from './observe/observe-context.ts';
import { writeInspectionRecords } from './records/inspection-records.ts';
import { observationRecorder } from './records/observation-record.ts';
import { createRecordStore } from './records/store.ts';
import type { RecordStore, RecordStoreOptions } from './records/store.ts';
import { systemClock } from './system-clock.ts';
import type { WorkloadAdapter } from './fleet/port.ts';
import { configuredWorkload, workPort } from './fleet/work-port.ts';
import { describeError } from '../shared/describe-error.ts';

export interface RealHostOptions {
  runtimeDir: string;
  stateDir: string;
  /** /proc and /sys roots; the sandbox and tests point them at their own folders */
  roots?: Partial<FsRoots> | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** replaces the tool runners (tests count calls through it) */
  run?: { observe?: RunCommand; actuate?: RunCommand } | undefined;
  store?: RecordStoreOptions | undefined;
  /**
   * Called with an audit event that could not be appended (full disk, EIO)
   * and the reason, before the port rejects: mirror it into the journal so
   * the history keeps it even when the log cannot (catalogue row 23).
   */
  onAuditFailure?: ((event: unknown, reason: string) => void) | undefined;
  /**
   * Called when last-observation.json could not be written (full or
   * read-only /run). The observation and the run go on: the record is for
   * `mode status`, and the journal keeps the reason.
   */
  onObservationUnwritten?: ((reason: string) => void) | undefined;
  /** the config's path, as capability-placement.json names it; null when unknown */
  configPath?: string | null | undefined;
  /**
   * Called when capability-placement.json or hardware-topology.json could not
   * be written; like last-observation.json, they are for people (the plan's
   * phase 4), so the run goes on and the journal keeps the reason.
   */
  onInspectionUnwritten?: ((file: string, reason: string) => void) | undefined;
  /** the workload manager the chart drains and resumes (Slurm); default: the one the config turns on; null: none */
  workload?: WorkloadAdapter | null | undefined;
}

export interface RealHost extends Host {
  readonly store: RecordStore;
}

export function createRealHost(config: Config, options: RealHostOptions): RealHost {
  const store = createRecordStore({ runtimeDir: options.runtimeDir, stateDir: options.stateDir }, { clock: systemClock, ...options.store });
  const now = () => (options.store?.clock ?? systemClock).now();
  let lastGpus: Fact<Gpu[]> | null = null;
  let topology: Promise<ObservedTopology | null> | null = null;
  // Once per run (a host serves one run), beside its first observation: lspci
  // and bootctl describe hardware and boot loader, which no transition changes.
  const observeTopologyOnce = () => {
    topology ??= observeTopology(config, { roots: options.roots, env: options.env, run: options.run?.observe }).catch(() => null);
  };
  const observe = async (signal?: AbortSignal) => {
    observeTopologyOnce();
    const facts = await observeFacts(config, { signal, roots: options.roots, env: options.env, run: options.run?.observe });
    lastGpus = facts.gpus;
    return facts;
  };
  // capability-placement.json and hardware-topology.json, refreshed with every record the run writes under its lock
  const refreshInspection = async () => {
    const unwritten = await writeInspectionRecords(store, { config, configPath: options.configPath ?? null, gpus: lastGpus, topology: topology ? await topology : null, now: now() });
    for (const { file, reason } of unwritten) options.onInspectionUnwritten?.(file, reason);
  };
  return {
    config,
    clock: systemClock,
    store,
    observe,
    // every observation of the run also becomes last-observation.json, with the run's classification: the last one (the verification) stays
    recordObservation: observationRecorder({
      sink: store,
      runId: options.store?.runId ?? null,
      now,
      onUnwritten: options.onObservationUnwritten,
    }),
    perform: (action, signal) => performAction(action, { config, signal, env: options.env, run: options.run?.actuate }),
    ...workPort(options.workload === undefined ? configuredWorkload(config) : options.workload),
    lock: () => store.lock(),
    readDesired: () => store.readDesired(),
    readIntent: () => store.readIntent(),
    writeIntent: (intent) => store.writeIntent(intent),
    clearIntent: () => store.clearIntent(),
    writeRecord: async (record, guards) => {
      await store.writeRecord(record, guards);
      await refreshInspection();
    },
    appendAudit: async (event) => {
      try {
        await store.appendAudit(event);
      } catch (error) {
        options.onAuditFailure?.(event, describeError(error));
        throw error;
      }
    },
    bootId: () => store.bootId(),
    // the session's user is warned by dubnium-notice@<uid>.service; refusals come back as files in the runtime folder
    warn: (delivery, report, signal) =>
      warnDesk({ runtimeDir: options.runtimeDir, run: options.run?.actuate ?? runTool, tools: config.tools, env: options.env, now }, delivery, report, signal),
  };
}
