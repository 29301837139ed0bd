// One controller run as a process: what `mode run <mode>` (and the sandbox's
// controller entry) does. It wires SIGTERM/SIGINT to the run's AbortSignal,
// so `systemctl stop` (KillMode=mixed sends SIGTERM to node only) stops the
// run at its next step boundary with `interrupted` recorded; waits for a run
// in progress instead of reporting busy at once, so two requests are
// serialized and the newest desired mode wins; mirrors every audit line, and
// every audit line that could not be written, to stdout (the journal); and,
// once each outcome is recorded, hands the state to the configured fleet
// adapters (effects/fleet/), whose failures are journaled and never change
// the outcome.
import { randomUuid } from '../../effects/kernel-uuid.ts';
import { processStartMonoMs } from '../../effects/monotonic.ts';
import { fleetAdapters } from '../../effects/fleet/adapters.ts';
import type { FleetAdapter } from '../../effects/fleet/port.ts';
import { publishState } from '../../effects/fleet/publish-all.ts';
import { createRealHost, type RealHostOptions } from '../../effects/real-host.ts';
import { resolveRecordPaths } from '../../effects/records/paths.ts';
import { runController } from '../../machines/run-controller.ts';
import type { Config } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { DesiredRecord, TransitionRecord } from '../../schemas/records.ts';
import { claimDesired } from './claim-desired.ts';
import { failpointFromEnv } from './failpoint.ts';

/**
 * How long a run waits for another run's lock. mode-controller@.service has
 * TimeoutStartSec=30min; a compute switch may take up to its vLLM budget
 * (15 min) and more; after 20 min the waiting run reports busy and leaves
 * the rest of its unit's time to its own switch.
 */
export const LOCK_WAIT_MS = 20 * 60_000;

export interface RunOnceOptions {
  config: Config;
  target: ModeName;
  runtimeDir: string;
  stateDir: string;
  env: Readonly<Record<string, string | undefined>>;
  roots?: RealHostOptions['roots'];
  out: (text: string) => void;
  lockWaitMs?: number;
  /** where SIGTERM/SIGINT come from; the process by default */
  signals?: Pick<NodeJS.Process, 'on' | 'removeListener'>;
  /** when the unit started this run, CLOCK_MONOTONIC ms; this process's start by default */
  startedMonoMs?: number;
  /** where the config was read from, for capability-placement.json; $DUBNIUM_CONFIG or the default when absent */
  configPath?: string;
  /** told each recorded outcome; fleetAdapters(config) by default */
  fleet?: readonly FleetAdapter[];
}

/**
 * How many more runs one process makes for requests whose starts PID 1 merged
 * into it. Each needs a new generation of this same mode recorded while the
 * previous run went on, so the bound only stops a requester looping faster
 * than a run ends.
 */
export const MAX_MERGED_RUNS = 3;

export async function runOnce(options: RunOnceOptions): Promise<TransitionRecord> {
  const lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
  const hostFor = (runId: string) =>
    createRealHost(options.config, {
      runtimeDir: options.runtimeDir,
      stateDir: options.stateDir,
      env: options.env,
      roots: options.roots,
      store: { runId, lockWaitMs, mirror: (line) => options.out(`audit ${line}\n`) },
      onAuditFailure: (event, reason) => options.out(`audit-unwritten ${JSON.stringify({ reason, event })}\n`),
      onObservationUnwritten: (reason) => options.out(`observation-unwritten ${JSON.stringify({ reason })}\n`),
      configPath: options.configPath ?? configPathFromEnv(options.env),
      onInspectionUnwritten: (file, reason) => options.out(`inspection-unwritten ${JSON.stringify({ file, reason })}\n`),
    });
  // from the kernel: Web Crypto's load costs a --jitless run ~1.7 MB of peak RSS, node:crypto's ~6 ms too (issue 17)
  let runId = randomUuid();
  let host = hostFor(runId);
  // Before the lock, which may be held for minutes: a newer request recorded meanwhile must win.
  await claimDesired(host.store, options.target, options.startedMonoMs ?? processStartMonoMs(), options.out);
  const failpoint = failpointFromEnv(options.env);
  const fleet = options.fleet ?? fleetAdapters(options.config);
  // after the record and the lock release: an adapter that fails or hangs is journaled, the outcome stands
  const publish = (record: TransitionRecord) => publishState(fleet, host.store, 'run', record, { report: options.out });
  const stop = new AbortController();
  const signals = options.signals ?? process;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    options.out(`controller: ${signal} received; stopping at the next step boundary\n`);
    stop.abort(new Error(signal));
  };
  // `on`, not `once`, until the run ends: execa's exit cleanup (signal-exit) re-raises a signal
  // that no other listener handles, which would kill the run before it records `interrupted`
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  try {
    let record = await runController(host, options.target, { runId, pid: process.pid, signal: stop.signal, lockWaitMs, ...(failpoint ? { failpoint } : {}) });
    await publish(record);
    for (let merged = 0; merged < MAX_MERGED_RUNS && !stop.signal.aborted; merged++) {
      const desired = await host.store.readDesired();
      if (!requestMergedInto(record, desired, options.target)) break;
      options.out(`controller: generation ${desired.generation} (${desired.mode}) was requested while this run went on and its start was merged into it by systemd; running again for it\n`);
      runId = randomUuid();
      host = hostFor(runId);
      record = await runController(host, options.target, { runId, pid: process.pid, signal: stop.signal, lockWaitMs, ...(failpoint ? { failpoint } : {}) });
      await publish(record);
    }
    return record;
  } finally {
    signals.removeListener('SIGTERM', onSignal);
    signals.removeListener('SIGINT', onSignal);
  }
}

// what loadConfig read when the caller did not say: $DUBNIUM_CONFIG, else /etc/dubnium/config.json
function configPathFromEnv(env: Readonly<Record<string, string | undefined>>): string | null {
  const resolved = resolveRecordPaths({ env });
  return resolved.ok ? resolved.paths.configPath : null;
}

/**
 * A request this run did not reconcile and no other run will: a newer
 * generation naming this unit's own mode. Its `systemctl start` came while the
 * unit was activating, so PID 1 merged it into this run instead of starting
 * another (a request for another mode starts that mode's unit, whose run
 * handles it). Without a run for it, its requester would wait for a record of
 * its generation that never comes, and `mode status` would show it pending.
 */
function requestMergedInto(record: TransitionRecord, desired: DesiredRecord | null, target: ModeName): desired is DesiredRecord {
  if (desired === null || desired.mode !== target) return false;
  if (record.outcome === 'interrupted' || record.outcome === 'busy') return false;
  return desired.generation > (record.generation ?? 0);
}
