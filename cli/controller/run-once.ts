// One controller run as a process: what `mode run <mode>` (and the sandbox's
// controller entry) does. It wires SIGTERM/SIGINT to the run's AbortSignal,
// so `systemctl stop` (KillMode=mixed sends SIGTERM to node only) stops the
// run at its next step boundary with `interrupted` recorded; waits for a run
// in progress instead of reporting busy at once, so two requests are
// serialized and the newest desired mode wins; mirrors every audit line, and
// every audit line that could not be written, to stdout (the journal).
import { randomUUID } from 'node:crypto';
import { createRealHost, type RealHostOptions } from '../../effects/real-host.ts';
import { runController } from '../../machines/run-controller.ts';
import type { Config } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
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
}

/** This process's start on CLOCK_MONOTONIC (node's uptime counts from its own start on that clock). */
export const processStartMonoMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000 - process.uptime() * 1000;

export async function runOnce(options: RunOnceOptions): Promise<TransitionRecord> {
  const runId = randomUUID();
  const lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
  const host = createRealHost(options.config, {
    runtimeDir: options.runtimeDir,
    stateDir: options.stateDir,
    env: options.env,
    roots: options.roots,
    store: { runId, lockWaitMs, mirror: (line) => options.out(`audit ${line}\n`) },
    onAuditFailure: (event, reason) => options.out(`audit-unwritten ${JSON.stringify({ reason, event })}\n`),
    onObservationUnwritten: (reason) => options.out(`observation-unwritten ${JSON.stringify({ reason })}\n`),
  });
  // Before the lock, which may be held for minutes: a newer request recorded meanwhile must win.
  await claimDesired(host.store, options.target, options.startedMonoMs ?? processStartMonoMs(), options.out);
  const failpoint = failpointFromEnv(options.env);
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
    return await runController(host, options.target, { runId, pid: process.pid, signal: stop.signal, lockWaitMs, ...(failpoint ? { failpoint } : {}) });
  } finally {
    signals.removeListener('SIGTERM', onSignal);
    signals.removeListener('SIGINT', onSignal);
  }
}
