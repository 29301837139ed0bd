// The bench's use of the sandbox harness (test/sandbox): one sandboxed
// systemd 252 with the project's units, where the CLI runs the way an
// operator runs it on the workstation — inside, so that systemctl talks to
// PID 1 directly — and mode-controller@.service runs the controller under
// its full hardening, wrapped to report its peak RSS.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootControllerSandbox, CONTROLLER_ENTRY, type ControllerSandbox } from '../../test/sandbox/e2e.ts';
import { INSIDE_DIR, INSIDE_NODE, INSIDE_REPO, SUBDIRS, inside } from '../../test/sandbox/layout.ts';
import { describeResult } from '../../test/sandbox/command.ts';
import { controllerNodeFlags } from './unit-node-flags.ts';
import { parseCpuProfile, type CpuProfile } from './cpu-profile.ts';
import { parseRssJournal } from './rss-journal.ts';
import type { PeakRss } from './results.ts';
import { openedModuleFiles } from './strace-files.ts';
import { parseStrace, type ProcessTree } from './strace-processes.ts';
import { parseTimingPlan, type PlanStep, type TimingPlan, type TimingResult } from './timing-plan.ts';

export type { ControllerSandbox } from '../../test/sandbox/e2e.ts';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const RUNTIME_DIR = '/run/mode-controller';
export const STATE_DIR = '/var/lib/mode-controller';
const BENCH_SUBDIR = 'bench';
const PROBE = `${INSIDE_REPO}/bench/probes/peak-rss.cjs`;
// This VM has no sound driver, so /proc/asound is missing and compute's audio
// guard fails closed; the sandbox's world has one (idle), and `mode run` reads
// the config's alsaRoot, so the bench points it there. Nothing else differs
// from examples/workstation.config.json.
const WORLD_ALSA = inside(`${SUBDIRS.world}/proc/asound`);

export const insideRepo = (relative: string): string => `${INSIDE_REPO}/${relative}`;

/** What an operator's shell inside has: the tools (the fake nvidia-smi and pactl first, as the controller's PATH), the config, the record folders. */
export function operatorEnv(sandbox: ControllerSandbox): Record<string, string> {
  return {
    PATH: `${inside(SUBDIRS.bin)}:${SYSTEM_PATH}`,
    HOME: '/root',
    DUBNIUM_CONFIG: sandbox.configPathInside,
    RUNTIME_DIRECTORY: RUNTIME_DIR,
    STATE_DIRECTORY: STATE_DIR,
  };
}

/**
 * The unit's ExecStart with a peak-RSS report:
 * `/usr/bin/time -v node <the unit's node flags> --require <probe> [--cpu-prof ...] <program> <args>`.
 */
export function measuredExecStart(program: string, args: readonly string[], cpuProfDir?: string): string[] {
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  return ['/usr/bin/time', '-v', INSIDE_NODE, ...controllerNodeFlags(), '--require', PROBE, ...profile, program, ...args];
}

/** A sandbox whose mode-controller@.service runs `program args` (the shipped `mode run %i`), measured. */
export async function bootBenchSandbox(controllerProgram: string, controllerArgs: readonly string[]): Promise<ControllerSandbox> {
  const sandbox = await bootControllerSandbox({
    // the harness's own controller is bundled but replaced by the drop-in below
    controller: CONTROLLER_ENTRY,
    config: (c) => ({ ...c, audio: { ...c.audio, alsaRoot: WORLD_ALSA } }),
    dropIns: [{ unit: 'mode-controller@.service', sections: { Service: ['ExecStart=', `ExecStart=${measuredExecStart(controllerProgram, controllerArgs).join(' ')}`] } }],
  });
  mkdirSync(join(sandbox.dir, BENCH_SUBDIR), { recursive: true });
  return sandbox;
}

const PROFILE_DROP_IN = '70-bench-profile.conf';
const TRACE_DROP_IN = '71-bench-trace.conf';

/** Writes (text) or removes (null) one of the bench's drop-ins of the controller unit, then daemon-reload. */
async function setControllerDropIn(sandbox: ControllerSandbox, name: string, text: string | null, what: string): Promise<void> {
  const path = join(sandbox.dir, SUBDIRS.units, 'mode-controller@.service.d', name);
  if (text === null) rmSync(path, { force: true });
  else writeFileSync(path, text);
  const reload = await sandbox.systemctl(['daemon-reload'], 60_000);
  if (reload.exitCode !== 0) throw new Error(`daemon-reload after changing the controller's ${what} failed: ${describeResult(reload)}`);
}

/**
 * Makes the controller unit write a CPU profile of each run into `dir`
 * (inside; the unit's ProtectSystem=strict needs it named writable), or,
 * with null, stops doing so. A drop-in after the sandbox's own, then daemon-reload.
 */
export async function profileControllerRuns(sandbox: ControllerSandbox, program: string, args: readonly string[], dir: string | null): Promise<void> {
  const text = dir === null ? null : `# bench/: CPU profiles of controller runs\n[Service]\nReadWritePaths=${dir}\nExecStart=\nExecStart=${measuredExecStart(program, args, dir).join(' ')}\n`;
  await setControllerDropIn(sandbox, PROFILE_DROP_IN, text, 'profiling');
}

/** What the request listing traces: the processes, and the calls that create, write, rename and sync files. */
export const WRITE_TRACE = 'process,openat,rename,renameat,renameat2,fsync,fdatasync';
const STRACE_FLAGS = ['-f', '-qq', '-v', '-s', '4096'];

/**
 * Makes each controller run execute under `strace -f -y -e trace=WRITE_TRACE
 * -o <dir>/<mode>.txt` (no peak-RSS wrapper: these runs are not measured),
 * or, with null, stops doing so. strace needs ptrace(2), which the unit's
 * SystemCallFilter=@system-service leaves out, and process_vm_readv, which it
 * removes; the drop-in adds both back for these runs only.
 */
export async function traceControllerRuns(sandbox: ControllerSandbox, strace: string, program: string, args: readonly string[], dir: string | null): Promise<void> {
  const execStart = [strace, ...STRACE_FLAGS, '-y', '-e', `trace=${WRITE_TRACE}`, '-o', `${dir}/%i.txt`, INSIDE_NODE, ...controllerNodeFlags(), program, ...args];
  const text = dir === null ? null : `# bench/: strace of controller runs (what a request starts and writes)\n[Service]\nReadWritePaths=${dir}\nSystemCallFilter=ptrace process_vm_readv\nExecStart=\nExecStart=${execStart.join(' ')}\n`;
  await setControllerDropIn(sandbox, TRACE_DROP_IN, text, 'tracing');
}

/** Until the unit's run has ended (a oneshot is activating while it runs), so that its strace output is complete. */
export async function untilUnitEnded(sandbox: ControllerSandbox, unit: string, timeoutMs: number): Promise<void> {
  await sandbox.waitUntil(`${unit} ended`, async () => !['activating', 'active', 'deactivating', 'reloading'].includes((await sandbox.show([unit], ['ActiveState'])).get(unit)?.ActiveState ?? ''), timeoutMs);
}

let planCount = 0;

/** Runs a timing plan inside the sandbox with bench/inside/timing-driver.ts. */
export async function runPlan(sandbox: ControllerSandbox, plan: TimingPlan, timeoutMs: number): Promise<TimingResult> {
  parseTimingPlan(JSON.stringify(plan), 'the plan');
  planCount += 1;
  const name = `${BENCH_SUBDIR}/plan-${planCount}.json`;
  writeFileSync(join(sandbox.dir, name), JSON.stringify(plan, null, 2));
  const result = await sandbox.exec(['env', '-i', `PATH=${SYSTEM_PATH}`, INSIDE_NODE, insideRepo('bench/inside/timing-driver.ts'), inside(name)], timeoutMs);
  if (result.exitCode !== 0) throw new Error(`the timing driver failed inside the sandbox: ${describeResult(result)}`);
  return JSON.parse(result.stdout) as TimingResult;
}

export function step(argv: string[], env: Record<string, string>, okExits: number[], captureFile?: string): PlanStep {
  return { argv, env, okExits, ...(captureFile ? { captureFile } : {}) };
}

let traceCount = 0;

/** Runs argv inside under `strace -f -e trace=<what> [extra flags]` and returns strace's output. */
async function straceInside(sandbox: ControllerSandbox, what: string, argv: readonly string[], env: Record<string, string>, extra: readonly string[] = []): Promise<string> {
  traceCount += 1;
  const name = `${BENCH_SUBDIR}/strace-${traceCount}.txt`;
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const result = await sandbox.exec(['env', '-i', ...envArgs, 'strace', ...STRACE_FLAGS, ...extra, '-e', `trace=${what}`, '-o', inside(name), ...argv], 120_000);
  if (result.exitCode === null || result.exitCode === 1 || result.exitCode > 64) throw new Error(`tracing ${argv.join(' ')} failed: ${describeResult(result)}`);
  return readFileSync(join(sandbox.dir, name), 'utf8');
}

/** strace output of argv run inside, with the processes it started and the files it wrote (-y: fds named by path). */
export function traceWrites(sandbox: ControllerSandbox, argv: readonly string[], env: Record<string, string>): Promise<string> {
  return straceInside(sandbox, WRITE_TRACE, argv, env, ['-y']);
}

/** The tree of processes argv started inside. */
export async function traceProcesses(sandbox: ControllerSandbox, argv: readonly string[], env: Record<string, string>): Promise<ProcessTree> {
  return parseStrace(await straceInside(sandbox, 'process', argv, env));
}

/** The module files (.js, .mjs, .json) argv's own process opened inside (not its children's). */
export async function traceModuleFiles(sandbox: ControllerSandbox, argv: readonly string[], env: Record<string, string>): Promise<string[]> {
  const text = await straceInside(sandbox, 'openat,process', argv, env);
  const tree = parseStrace(text);
  return openedModuleFiles(text, (tid) => (tree.owner.get(tid) ?? tid) === tree.root);
}

/** A folder of the bench's, made now: its path inside the sandbox and outside. */
export function benchFolder(sandbox: ControllerSandbox, relative: string): { inside: string; outside: string } {
  const rel = `${BENCH_SUBDIR}/${relative}`;
  mkdirSync(join(sandbox.dir, rel), { recursive: true });
  return { inside: `${INSIDE_DIR}/${rel}`, outside: join(sandbox.dir, rel) };
}

/** The folder (inside) where node --cpu-prof writes profiles of one command, and a reader for them. */
export function profileFolder(sandbox: ControllerSandbox, label: string): { inside: string; read: () => CpuProfile[]; keep: (dir: string) => void } {
  const folder = benchFolder(sandbox, `profiles/${label}`);
  const files = () => readdirSync(folder.outside).filter((f) => f.endsWith('.cpuprofile')).sort();
  return {
    inside: folder.inside,
    // kept as run-N.cpuprofile, so a rerun replaces the set instead of adding to it
    keep: (dir) => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      files().forEach((f, i) => copyFileSync(join(folder.outside, f), join(dir, `run-${i + 1}.cpuprofile`)));
    },
    read: () => files().map((f) => parseCpuProfile(readFileSync(join(folder.outside, f), 'utf8'), f)),
  };
}

/** Peak-RSS reports of every controller run so far, per unit, from the sandbox's journal. */
export async function controllerPeakRss(sandbox: ControllerSandbox, units: readonly string[]): Promise<PeakRss[]> {
  const runs: PeakRss[] = [];
  for (const unit of units) {
    const journal = await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', unit], 60_000);
    if (journal.exitCode !== 0) throw new Error(`cannot read the journal of ${unit}: ${describeResult(journal)}`);
    runs.push(...parseRssJournal(journal.stdout, unit));
  }
  return runs;
}

export function writeInsideFile(sandbox: ControllerSandbox, relative: string, text: string): string {
  writeFileSync(join(sandbox.dir, BENCH_SUBDIR, relative), text, { mode: 0o755 });
  return inside(`${BENCH_SUBDIR}/${relative}`);
}
