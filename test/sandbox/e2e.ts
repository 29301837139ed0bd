// End-to-end runs in the sandbox: the real controller (engine, observers,
// actuators, records) runs inside as mode-controller@<mode>.service under the
// unit's full hardening, driven the way `mode request` drives it: record the
// desired mode (generation + 1), start the unit, read the recorded outcome.
// Independent checks read systemd, logind and the fake GPU directly.
import { join } from 'node:path';
import { createRecordStore, type RecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';
import { TransitionRecord } from '../../schemas/records.ts';
import type { CommandResult } from './command.ts';
import { describeResult } from './command.ts';
import { SETTLE_MS, expectModeHolds, holdSnapshot } from './mode-holds.ts';
import { bootProgramOf, bootSandbox, runThenTearDown, type Sandbox, type SandboxOptions } from './sandbox.ts';

export const CONTROLLER_ENTRY = { entry: 'test/sandbox/controller-entry.ts', args: ['%i'] };
const RUNTIME_DIR = '/run/mode-controller';
const STATE_DIR = '/var/lib/mode-controller';
// a run may wait for vLLM and roll back; the unit's own TimeoutStartSec is 30 min
const RUN_TIMEOUT_MS = 10 * 60_000;

export interface ControllerSandbox extends Sandbox {
  /** the controller's record store, reached from outside through /proc/<pid>/root */
  readonly store: RecordStore;
}

export interface RequestResult {
  record: TransitionRecord;
  /** what `systemctl start` said (non-zero when the outcome is not succeeded/noop) */
  start: CommandResult;
  /** the unit's exit status (the controller's exit code for the outcome) */
  exitStatus: number;
}

export async function bootControllerSandbox(options: SandboxOptions = {}): Promise<ControllerSandbox> {
  const sandbox = await bootSandbox({ controller: CONTROLLER_ENTRY, ...options });
  try {
    // what systemd creates on the unit's first start; a request before that must find them
    const made = await sandbox.exec(['mkdir', '-p', '--', RUNTIME_DIR, STATE_DIR]);
    if (made.exitCode !== 0) throw new Error(describeResult(made));
    const root = `/proc/${sandbox.systemdPid}/root`;
    const store = createRecordStore({ runtimeDir: `${root}${RUNTIME_DIR}`, stateDir: `${root}${STATE_DIR}` });
    if (bootProgramOf({ controller: CONTROLLER_ENTRY, ...options }) !== null) await bootRunRecorded(sandbox);
    return Object.assign(sandbox, { store });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

/**
 * The machine as the workstation is after boot: mode-boot.service ran and the
 * controller run it started recorded its outcome (its unit is no longer activating).
 */
async function bootRunRecorded(sandbox: Sandbox): Promise<void> {
  const unit = `mode-controller@${sandbox.config.boot.defaultMode}.service`;
  await sandbox.waitUntil(
    `the boot run of ${unit} recorded its outcome`,
    async () => sandbox.readInside(`${RUNTIME_DIR}/last-transition.json`) !== null && !['activating', 'active'].includes((await sandbox.show([unit], ['ActiveState'])).get(unit)?.ActiveState ?? ''),
    60_000,
  );
}

/** bootControllerSandbox + fn + stop, with the sandbox journal appended to a failure (like withSandbox). */
export function withControllerSandbox<T>(options: SandboxOptions, fn: (sandbox: ControllerSandbox) => Promise<T>): Promise<T> {
  return runThenTearDown(bootControllerSandbox(options), fn);
}

/**
 * Like `mode request <mode>`: desired mode + generation, then the controller
 * unit, then its record. A succeeded switch must then hold for `settleMs`.
 */
export async function request(sandbox: ControllerSandbox, mode: ModeName, requestedBy = 'e2e-test', settleMs = SETTLE_MS): Promise<RequestResult> {
  const beforeRequest = await holdSnapshot(sandbox);
  const desired = await sandbox.store.recordDesired(mode, requestedBy);
  if (!desired.ok) throw new Error(`could not record the desired mode: ${desired.failure.message}`);
  const unit = `mode-controller@${mode}.service`;
  const start = await sandbox.systemctl(['start', unit], RUN_TIMEOUT_MS);
  const text = sandbox.readInside(`${RUNTIME_DIR}/last-transition.json`);
  if (text === null) throw new Error(`${unit} wrote no last-transition.json; ${describeResult(start)}`);
  const record = TransitionRecord.parse(JSON.parse(text));
  if (record.generation !== desired.record.generation) {
    throw new Error(`the last record is for generation ${String(record.generation)}, not the requested ${desired.record.generation}; ${describeResult(start)}`);
  }
  const exitStatus = Number((await sandbox.show([unit], ['ExecMainStatus'])).get(unit)?.ExecMainStatus);
  if (record.outcome === 'succeeded') {
    // from the request on: mode-boot.service must not have run again, nor anything have recorded a newer request
    await expectModeHolds(sandbox, mode, { settleMs, generation: desired.record.generation, bootAsOf: beforeRequest });
  }
  return { record, start, exitStatus };
}

/**
 * The environment for the real `mode` CLI run outside, as an operator would:
 * the sandbox's records through PID 1's root, the sandbox's systemctl wrappers
 * first on PATH, and a config (the sandbox's own unless given).
 */
export function cliEnvFor(sandbox: Sandbox, configPath = join(sandbox.dir, 'config.json')): Record<string, string> {
  const root = `/proc/${sandbox.systemdPid}/root`;
  return {
    PATH: `${sandbox.outsideBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    RUNTIME_DIRECTORY: `${root}/run/mode-controller`,
    STATE_DIRECTORY: `${root}/var/lib/mode-controller`,
    DUBNIUM_CONFIG: configPath,
  };
}

export type Weights = Record<'interactive' | 'ai' | 'platform', { cpuWeight: number | null; ioWeight: number | null }>;

/** CPUWeight/IOWeight of the three slices, as `systemctl show` reports them (`[not set]` stays as is). */
export async function rawSliceWeights(sandbox: Sandbox): Promise<Record<'interactive' | 'ai' | 'platform', { CPUWeight: string; IOWeight: string }>> {
  const { slices } = sandbox.config.units;
  const shown = await sandbox.show([slices.interactive, slices.ai, slices.platform], ['CPUWeight', 'IOWeight']);
  const read = (unit: string) => ({ CPUWeight: shown.get(unit)?.CPUWeight ?? '?', IOWeight: shown.get(unit)?.IOWeight ?? '?' });
  return { interactive: read(slices.interactive), ai: read(slices.ai), platform: read(slices.platform) };
}

/** The weights as the config states them: `[not set]` (user.slice sets none) is null, as in the facts and a baseline. */
export async function sliceWeights(sandbox: Sandbox): Promise<Weights> {
  const raw = await rawSliceWeights(sandbox);
  const effective = (value: string) => (value === '[not set]' ? null : Number(value));
  const read = (role: keyof typeof raw) => ({ cpuWeight: effective(raw[role].CPUWeight), ioWeight: effective(raw[role].IOWeight) });
  return { interactive: read('interactive'), ai: read('ai'), platform: read('platform') };
}

export async function activeStates(sandbox: Sandbox, units: readonly string[]): Promise<Record<string, string>> {
  const shown = await sandbox.show(units, ['ActiveState']);
  return Object.fromEntries(units.map((u) => [u, shown.get(u)?.ActiveState ?? '?']));
}

export async function graphicalSessions(sandbox: Sandbox): Promise<string[]> {
  return (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout
    .split('\n')
    .filter((line) => line.includes('seat0'))
    .map((line) => line.trim().split(/\s+/)[0] ?? '');
}

/** GPU processes as the fake nvidia-smi lists them (type and PID), from the compute-apps and XML forms. */
export async function gpuProcessTypes(sandbox: Sandbox): Promise<string[]> {
  const xml = await sandbox.exec(['/run/dubnium-sandbox/bin/nvidia-smi', '-q', '-x']);
  return [...xml.stdout.matchAll(/<type>([^<]+)<\/type>/g)].map((m) => m[1] ?? '');
}

export function firstFailed(record: TransitionRecord): string | null {
  return record.firstFailedPredicate?.code ?? null;
}
