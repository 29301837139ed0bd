// A real systemd 252 as PID 1 in a bubblewrap sandbox, with the project's
// units, logind and a real user session, and stand-ins for what a test VM
// lacks (display manager, vLLM, nvidia-smi, sound cards, memory). Used by the
// sandbox tests, the end-to-end tests and the demo:
//
//   const sandbox = await bootSandbox({ vllm: { readyAfterMs: 2000 } });
//   try { await sandbox.systemctl(['isolate', 'compute.target']); } finally { await sandbox.stop(); }
//
// or withSandbox(options, async (sandbox) => ...), which always tears down.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Config, type ConfigInput } from '../../schemas/config.ts';
import { bundleForJitless } from './bundle.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { DESKTOP_SESSION_UNITS } from './desktop-session.ts';
import { makeGpuNodes } from './gpu-node.ts';
import { createSandboxCgroup } from './cgroup.ts';
import { describeResult, runCommand, type CommandResult } from './command.ts';
import { writeUserDatabase } from './host-files.ts';
import { INSIDE_NODE, INSIDE_REPO, REPO_ROOT, STAND_INS_DIR, SUBDIRS, inside } from './layout.ts';
import { POLKIT_UNIT, polkitPrerequisites, writePolkitRules } from './polkit.ts';
import { sandboxPrerequisites } from './prerequisites.ts';
import type { GpuControl, VllmControl } from './stand-ins/control.ts';
import { tearDown, type TeardownReport } from './teardown.ts';
import { DESKTOP_AUDIO_STATE, prepareAudioPublisher, prepareUserManager, type UserUnit } from './user-manager.ts';
import { execLine, writeUnitFolder, type DropIn } from './unit-folder.ts';
import { installPackage } from './package-install.ts';
import { seedModelBundle } from './model-seed.ts';
import { enableSlurm, prepareSlurm, slurmPrerequisites, writeSlurmWrappers } from './slurm-cluster.ts';
import { describeError } from '../../shared/describe-error.ts';

export type { DropIn } from './unit-folder.ts';
import {
  writeAlsa,
  writeGpuControl,
  writeMemInfo,
  writeVllmControl,
  type AlsaSubstreamSpec,
  type MemorySpec,
} from './world.ts';

/** What mode-controller@%i.service runs inside. `%i` in an argument becomes the instance (the mode). */
export type ControllerProgram =
  /** bundle a TypeScript entry of the repo (e.g. cli/mode.ts) and run it with node --jitless and these arguments */
  | { entry: string; args: string[] }
  /** run exactly this command line (arguments without spaces) */
  | { execStart: string[] }
  /** run this /bin/sh script, written into the sandbox folder; `$1` is the instance (tests of the unit itself) */
  | { script: string };

export interface SandboxOptions {
  /** changes to examples/workstation.config.json for the controller inside (validated with the Config schema) */
  config?: (config: ConfigInput) => ConfigInput;
  /** null: the unit keeps its packaged ExecStart (the package's node and a bundle of cli/mode.ts, package-install.ts), which reads /etc/dubnium/config.json: absent here, so a run refuses with exit 78 */
  controller?: ControllerProgram | null;
  /**
   * what mode-boot.service runs (the packaged path does not exist here). By default, when a controller
   * is given, the sandbox boots like the workstation: mode-boot.service enabled as its [Install] says
   * (wanted by multi-user.target), running the real `mode boot` (BOOT_PROGRAM, in the same bundle as the
   * controller). null turns it off: a test that does so says why. Without a bundled controller it is
   * off: the unit it starts could not run, or would run a test's stand-in script at boot.
   */
  bootProgram?: ControllerProgram | null;
  vllm?: Partial<VllmControl>;
  /** TimeoutStartSec= of vllm-ready.service (a systemd time span such as "5s"); the unit's own 15min when absent */
  vllmReadyTimeout?: string;
  gpu?: Partial<GpuControl>;
  memory?: MemorySpec;
  alsa?: AlsaSubstreamSpec[];
  /** create the config's persistencePaths (the model store) inside, as the NixOS module does; default true */
  createPersistencePaths?: boolean;
  /** seed the configured model's bundle (small, generated: model-seed.ts) into the model store; default true with the persistence paths */
  seedModel?: boolean;
  /** more drop-ins (after the sandbox's own, named 60-test.conf) */
  dropIns?: DropIn[];
  /**
   * a real polkitd (D-Bus activated, Debian's package polkitd) with the project's rule at
   * /etc/polkit-1/rules.d/50-mode-controller.rules, and group modectl with MEMBER_USER in it and
   * NON_MEMBER_USER outside it (test/sandbox/polkit.ts); the sandbox folder becomes traversable
   * (0711) so those users can run what a test puts there. Default false: other tests do not pay for it.
   */
  polkit?: boolean;
  /** more units for the desktop user's manager (user@4242.service), beside Debian's PipeWire units (user-manager.ts) */
  userUnits?: UserUnit[];
  /** a real one-node Slurm cluster inside (munged, slurmctld, slurmd; test/sandbox/slurm-cluster.ts), up before mode boot; default false */
  slurm?: boolean;
  bootTimeoutMs?: number;
}

export interface Sandbox {
  /** the sandbox folder on the host; INSIDE_DIR inside */
  readonly dir: string;
  /** host PID of the sandbox's systemd (PID 1 inside) */
  readonly systemdPid: number;
  /** the sandbox's own cgroup v2 subtree (host path), its marker: empty and removed after stop() */
  readonly cgroup: string;
  /** the config the controller reads inside at configPathInside */
  readonly config: Config;
  readonly configPathInside: string;
  /** the /proc root the controller is given (host path; inside: procRootInside) */
  readonly procRoot: string;
  readonly procRootInside: string;
  /** wrappers (systemctl, loginctl, journalctl, nvidia-smi) that enter the sandbox: put first on PATH for code outside */
  readonly outsideBin: string;
  systemctl(args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  loginctl(args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** runs argv inside the sandbox's namespaces (its mounts, PIDs, loopback) */
  exec(argv: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** `systemctl show` of several units, parsed: unit → property → value */
  show(units: readonly string[], properties: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** the journal inside (last `lines` lines), for diagnostics */
  journal(lines?: number): Promise<string>;
  /** a file inside the sandbox (read through /proc/<pid>/root), or null when absent */
  readInside(path: string): string | null;
  setVllm(control: Partial<VllmControl>): void;
  setGpu(control: Partial<GpuControl>): void;
  setMemory(spec: MemorySpec): void;
  setAlsa(substreams: readonly AlsaSubstreamSpec[]): void;
  /** polls `check` until it returns true; throws naming `what` after timeoutMs */
  waitUntil(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** kills everything, checks nothing is left, removes the folder; safe to call twice */
  stop(): Promise<TeardownReport>;
}

// tools the controller runs that this machine lacks; each reads its template beside its bundle
const FAKE_TOOLS = [
  { name: 'nvidia-smi', template: 'nvidia-smi-q-x.rtx4000-sff-ada-595-v13.xml', templateCopy: 'nvidia-smi-template.xml' },
] as const;

const NSENTER = ['nsenter', '--mount', '--pid', '--net', '--ipc', '--uts'];
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// `echo $$` moves this shell, and so the bwrap it becomes, into the sandbox's
// cgroup before bwrap unshares the cgroup namespace; the data ($1, "$@") is
// passed as arguments and never parsed by the shell.
const LAUNCH_SCRIPT = 'echo $$ > "$1" && shift && exec "$@"';

function parseShow(text: string): Map<string, Record<string, string>> {
  const units = new Map<string, Record<string, string>>();
  for (const block of text.split(/\n\s*\n/)) {
    const entry: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) entry[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (entry.Id) units.set(entry.Id, entry);
  }
  return units;
}

/** `mode boot` as mode-boot.service runs it, from the controller's own bundle (controller-entry.ts). */
export const BOOT_PROGRAM: ControllerProgram = { entry: 'test/sandbox/controller-entry.ts', args: ['boot'] };

/** What mode-boot.service runs in this sandbox, or null when it stays disabled. */
export function bootProgramOf(options: Pick<SandboxOptions, 'controller' | 'bootProgram'>): ControllerProgram | null {
  if (options.bootProgram !== undefined) return options.bootProgram;
  // a script or command line standing in for the controller is a test of the unit itself, not a controller to boot
  return options.controller && 'entry' in options.controller ? BOOT_PROGRAM : null;
}

/** ExecStart= for a program; one entry is bundled once, however many units run it. */
async function programLine(program: ControllerProgram, dir: string, name: string, bundles: Map<string, string>): Promise<string> {
  if ('execStart' in program) return execLine(program.execStart);
  if ('script' in program) {
    const path = `${SUBDIRS.lib}/${name}.sh`;
    writeFileSync(join(dir, path), program.script, { mode: 0o755 });
    return execLine(['/bin/sh', inside(path), '%i']);
  }
  let bundle = bundles.get(program.entry);
  if (bundle === undefined) {
    bundle = `${SUBDIRS.lib}/${name}.mjs`;
    await bundleForJitless(join(REPO_ROOT, program.entry), join(dir, bundle));
    bundles.set(program.entry, bundle);
  }
  return execLine([INSIDE_NODE, '--jitless', '--no-expose-wasm', inside(bundle), ...program.args]);
}

function controllerEnvironment(): string[] {
  return [
    `Environment=PATH=${inside(SUBDIRS.bin)}:${FALLBACK_PATH}`,
    `Environment=DUBNIUM_CONFIG=${inside('config.json')}`,
    `Environment=DUBNIUM_PROC_ROOT=${inside(`${SUBDIRS.world}/proc`)}`,
  ];
}

interface Prepared {
  config: Config;
  /** the opt-in parts' read-only binds */
  roBinds: { source: string; target: string }[];
}

async function prepare(dir: string, options: SandboxOptions): Promise<Prepared> {
  for (const sub of Object.values(SUBDIRS)) mkdirSync(join(dir, sub), { recursive: true });
  // No warning before compute ends the session, unless a test asks for it (e2e-notice): every other test would
  // wait the 60 s default grace on each switch to compute, since nothing in them answers the warning.
  const base = { ...(JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'workstation.config.json'), 'utf8')) as ConfigInput), notice: { graceSeconds: 0 } };
  const config = Config.parse(options.config ? options.config(structuredClone(base)) : base);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const dropIns: DropIn[] = [
    {
      unit: config.units.vllm,
      sections: {
        Service: ['ExecStart=', `ExecStart=${execLine([INSIDE_NODE, `${INSIDE_REPO}/test/sandbox/stand-ins/vllm.ts`, '--port', String(config.vllm.port), '--control', inside(`${SUBDIRS.world}/vllm.json`)])}`],
      },
    },
    {
      unit: config.units.vllmReady,
      sections: {
        Service: [`Environment=VLLM_HEALTH_URL=http://127.0.0.1:${config.vllm.port}/health`, `Environment=VLLM_MODELS_URL=http://127.0.0.1:${config.vllm.port}/v1/models`, `Environment=VLLM_MODEL=${execLine([config.vllm.model ?? 'unset'])}`, ...(options.vllmReadyTimeout ? [`TimeoutStartSec=${execLine([options.vllmReadyTimeout])}`] : [])],
      },
    },
  ];
  const bundles = new Map<string, string>();
  if (options.controller) {
    dropIns.push({ unit: 'mode-controller@.service', sections: { Service: ['ExecStart=', `ExecStart=${await programLine(options.controller, dir, 'controller', bundles)}`, ...controllerEnvironment()] } });
  }
  const bootProgram = bootProgramOf(options);
  if (bootProgram) {
    dropIns.push({ unit: 'mode-boot.service', sections: { Service: ['ExecStart=', `ExecStart=${await programLine(bootProgram, dir, 'boot', bundles)}`, ...controllerEnvironment()] } });
  }
  const userManager = prepareUserManager(dir, [...DESKTOP_SESSION_UNITS, ...(options.userUnits ?? [])]);
  dropIns.push(...userManager.dropIns, await prepareAudioPublisher(dir));
  // the units as nix/install-units.sh installs them into the package, not units/ itself
  const installed = await installPackage(dir);
  const slurm = options.slurm ? prepareSlurm(dir, config) : null;
  writeUnitFolder(join(dir, SUBDIRS.units), {
    installedUnits: installed.unitDir,
    enable: (unit) => unit !== 'mode-boot.service' || bootProgram !== null,
    dropIns,
    testDropIns: options.dropIns ?? [],
    extraUnits: [...userManager.systemUnits, ...(options.polkit ? [POLKIT_UNIT] : []), ...(slurm?.units ?? [])],
  });
  if (slurm) enableSlurm(join(dir, SUBDIRS.units));

  for (const fake of FAKE_TOOLS) {
    await bundleForJitless(join(STAND_INS_DIR, `${fake.name}.ts`), join(dir, SUBDIRS.lib, `${fake.name}.mjs`));
    copyFileSync(join(import.meta.dirname, 'templates', fake.template), join(dir, SUBDIRS.lib, fake.templateCopy));
    const path = join(dir, SUBDIRS.bin, fake.name);
    writeFileSync(path, `#!/bin/sh\n# fake ${fake.name} of the sandbox (test/sandbox/stand-ins/${fake.name}.ts)\nexec ${INSIDE_NODE} --jitless --no-expose-wasm ${inside(`${SUBDIRS.lib}/${fake.name}.mjs`)} "$@"\n`);
    chmodSync(path, 0o755);
  }

  const world = join(dir, SUBDIRS.world);
  const proc = join(world, 'proc');
  writeMemInfo(proc, options.memory ?? {});
  writeAlsa(proc, options.alsa ?? [{ card: 0, device: 0, state: 'closed' }]);
  writeVllmControl(world, options.vllm ?? {});
  writeGpuControl(world, options.gpu ?? {});
  writeUserDatabase(join(dir, SUBDIRS.etc), { modectl: options.polkit ?? false });
  const roBinds: Prepared['roBinds'] = [...userManager.roBinds, installed.bind, ...(slurm ? [slurm.roBind] : [])];
  if (options.polkit) {
    roBinds.push(writePolkitRules(dir));
    // mkdtemp made it 0700: the users of the polkit option must reach the config and a CLI bundle in it (not list it)
    chmodSync(dir, 0o711);
  }
  return { config, roBinds };
}

function readInfoFd(child: ChildProcess, timeoutMs: number): Promise<number> {
  const stream = child.stdio[3];
  return new Promise((resolve, reject) => {
    if (!stream) return reject(new Error('bwrap was started without an info descriptor'));
    let text = '';
    const timer = setTimeout(() => reject(new Error(`bwrap reported no child PID within ${timeoutMs} ms`)), timeoutMs);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bwrap exited before systemd started (status ${String(code)}, signal ${String(signal)})`));
    });
  });
}

function writeOutsideWrappers(dir: string, pid: number): void {
  const tools: Record<string, string> = { systemctl: 'systemctl', loginctl: 'loginctl', journalctl: 'journalctl' };
  for (const fake of FAKE_TOOLS) tools[fake.name] = inside(`${SUBDIRS.bin}/${fake.name}`);
  for (const [name, target] of Object.entries(tools)) {
    const path = join(dir, SUBDIRS.outsideBin, name);
    writeFileSync(path, `#!/bin/sh\n# ${name} of the sandbox whose systemd is host PID ${pid}\nexec ${NSENTER.join(' ')} --target ${pid} -- ${target} "$@"\n`);
    chmodSync(path, 0o755);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Boots a sandbox; the caller must call stop() (or use withSandbox). */
export async function bootSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const missing = [...sandboxPrerequisites(), ...(options.polkit ? polkitPrerequisites() : []), ...(options.slurm ? slurmPrerequisites() : [])];
  if (missing.length > 0) throw new Error(`cannot boot the sandbox: ${missing.join('; ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'dubnium-sandbox-'));
  let cgroup: string | null = null;
  let child: ChildProcess | null = null;
  let systemdPid: number | null = null;
  let report: TeardownReport | null = null;
  const stop = async (): Promise<TeardownReport> => {
    if (report) return report;
    if (!child || !cgroup) {
      rmSync(dir, { recursive: true, force: true });
      if (cgroup) rmdirSync(cgroup);
      report = { leftover: [], cgroupRemoved: true, dirRemoved: true, problems: [] };
      return report;
    }
    report = await tearDown({ bwrap: child, systemdPid, cgroup, dir, deadlineMs: 10_000 });
    return report;
  };

  try {
    const { config, roBinds } = await prepare(dir, options);
    cgroup = createSandboxCgroup(basename(dir));
    const args = bwrapArgs({ dir, cgroup, repo: REPO_ROOT, infoFd: 3, roBinds, devBinds: makeGpuNodes(dir) });
    const bwrap = spawn('/bin/sh', ['-c', LAUNCH_SCRIPT, 'dubnium-sandbox-launch', join(cgroup, 'cgroup.procs'), 'bwrap', ...args], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? FALLBACK_PATH, LC_ALL: 'C' },
    });
    child = bwrap;
    let bwrapOutput = '';
    bwrap.stdout?.on('data', (chunk: Buffer) => (bwrapOutput += chunk.toString('utf8')));
    bwrap.stderr?.on('data', (chunk: Buffer) => (bwrapOutput += chunk.toString('utf8')));
    const pid = await readInfoFd(bwrap, 10_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; bwrap said: ${bwrapOutput}`);
    });
    systemdPid = pid;
    writeOutsideWrappers(dir, pid);
    if (options.slurm) writeSlurmWrappers(join(dir, SUBDIRS.outsideBin), pid);

    const enter = (argv: readonly string[], timeoutMs = 30_000) => runCommand(NSENTER[0] as string, [...NSENTER.slice(1), '--target', String(pid), '--', ...argv], { timeoutMs });
    const systemctl = (a: readonly string[], t?: number) => enter(['systemctl', '--no-pager', ...a], t);

    const bootDeadline = Date.now() + (options.bootTimeoutMs ?? 30_000);
    let state = '';
    while (Date.now() < bootDeadline) {
      if (bwrap.exitCode !== null || bwrap.signalCode !== null) throw new Error(`the sandbox's systemd exited during boot; bwrap said: ${bwrapOutput}`);
      state = (await systemctl(['is-system-running'], 5_000)).stdout.trim();
      if (state === 'running' || state === 'degraded') break;
      await pause(100);
    }
    if (state !== 'running') {
      const failed = await systemctl(['list-units', '--failed', '--no-legend']);
      const journal = await enter(['journalctl', '--no-pager', '-n', '80']);
      throw new Error(`the sandbox did not boot cleanly (system state "${state}"): failed units:\n${failed.stdout}\njournal:\n${journal.stdout}`);
    }

    if (options.createPersistencePaths ?? true) {
      const made = await enter(['mkdir', '-p', '--', ...config.persistencePaths]);
      if (made.exitCode !== 0) throw new Error(`cannot create the persistence paths inside: ${describeResult(made)}`);
      // compute's model-missing guard blocks without it, as on a workstation nobody seeded
      if (options.seedModel ?? true) seedModelBundle(pid, config);
    }

    const world = join(dir, SUBDIRS.world);
    const proc = join(world, 'proc');
    const sandbox: Sandbox = {
      dir,
      systemdPid: pid,
      cgroup,
      config,
      configPathInside: inside('config.json'),
      procRoot: proc,
      procRootInside: inside(`${SUBDIRS.world}/proc`),
      outsideBin: join(dir, SUBDIRS.outsideBin),
      systemctl,
      loginctl: (a, t) => enter(['loginctl', '--no-pager', ...a], t),
      exec: enter,
      async show(units, properties) {
        const result = await systemctl(['show', ...properties.map((p) => `--property=${p}`), '--property=Id', '--', ...units]);
        if (result.exitCode !== 0) throw new Error(describeResult(result));
        return parseShow(result.stdout);
      },
      async journal(lines = 200) {
        return (await enter(['journalctl', '--no-pager', '-n', String(lines)])).stdout;
      },
      readInside(path) {
        try {
          return readFileSync(`/proc/${pid}/root${path}`, 'utf8');
        } catch {
          return null;
        }
      },
      setVllm: (control) => writeVllmControl(world, control),
      setGpu: (control) => writeGpuControl(world, control),
      setMemory: (spec) => writeMemInfo(proc, spec),
      setAlsa: (substreams) => writeAlsa(proc, substreams),
      async waitUntil(what, check, timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          if (await check()) return;
          await pause(100);
        }
        throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
      },
      stop,
    };
    // the desktop is up once its user's audio state is published: before that the audio guard (rightly) blocks compute
    if ((await systemctl(['is-active', 'graphical-session.service'])).stdout.trim() === 'active') {
      await sandbox.waitUntil(`the desktop user's audio state is published at ${DESKTOP_AUDIO_STATE}`, () => Promise.resolve(sandbox.readInside(DESKTOP_AUDIO_STATE) !== null), 30_000);
    }
    return sandbox;
  } catch (error) {
    const teardown = await stop();
    const cleanup = teardown.problems.length > 0 ? `teardown problems: ${teardown.problems.join('; ')}` : 'torn down';
    throw new Error(`${describeError(error)}\n[sandbox ${dir}: ${cleanup}]`, { cause: error });
  }
}

/** Boots a sandbox, runs fn, and always tears down; a failure carries the sandbox's journal. */
export function withSandbox<T>(options: SandboxOptions, fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  return runThenTearDown(bootSandbox(options), fn);
}

/** fn on a booted sandbox of any kind, then teardown; a failure carries the last 120 journal lines. */
export async function runThenTearDown<S extends Sandbox, T>(booting: Promise<S>, fn: (sandbox: S) => Promise<T>): Promise<T> {
  const sandbox = await booting;
  let result: T;
  try {
    result = await fn(sandbox);
  } catch (error) {
    const journal = await sandbox.journal(120).catch(() => '(journal unavailable)');
    await sandbox.stop();
    if (error instanceof Error) error.message = `${error.message}\n--- sandbox journal (last 120 lines) ---\n${journal}`;
    throw error;
  }
  const report = await sandbox.stop();
  if (report.problems.length > 0) throw new Error(`sandbox teardown: ${report.problems.join('; ')}`);
  return result;
}
