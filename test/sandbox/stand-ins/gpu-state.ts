// What the fake nvidia-smi reads to follow the sandbox: the processes that
// hold the stand-in GPU's node open (/proc/<pid>/fd links to /dev/nvidia0),
// as the driver knows its clients. The type is what the process has opened
// besides, as on the real driver: a graphics client (X server, compositor)
// holds /dev/nvidia-modeset, a CUDA process /dev/nvidia-uvm; a holder of the
// node with neither has no context and is not listed (nvidia-persistenced,
// nvidia-smi itself). PIDs and names are those of the live processes
// (argv[0] of /proc/<pid>/cmdline), as the real tool reports them. No unit,
// session or PID the harness knows is consulted.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { GpuControl } from './control.ts';
import type { FakeGpuProcess, FakeGpuState } from './nvidia-smi-render.ts';

export const GPU_NODE = '/dev/nvidia0';
const MODESET_NODE = '/dev/nvidia-modeset';
const UVM_NODE = '/dev/nvidia-uvm';

/** The /dev/nvidia* paths a process holds open; null when it exited meanwhile. */
export function heldNvidiaPaths(proc: string, pid: string): Set<string> | null {
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch (error) {
    if (isGone(error)) return null;
    // a partial list would lie: say what is missing instead
    throw new Error(`fake nvidia-smi: cannot list ${proc}/${pid}/fd (${String(error)}); reading other users' descriptors needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH`, { cause: error });
  }
  const held = new Set<string>();
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${proc}/${pid}/fd/${fd}`);
      if (target.startsWith('/dev/nvidia')) held.add(target);
    } catch (error) {
      if (!isGone(error)) throw new Error(`fake nvidia-smi: cannot read ${proc}/${pid}/fd/${fd} (${String(error)})`, { cause: error });
    }
  }
  return held;
}

function isGone(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'ENOENT' || code === 'ESRCH';
}

function processName(proc: string, pid: string): string | null {
  try {
    const argv0 = readFileSync(`${proc}/${pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === undefined || argv0 === '' ? null : argv0;
  } catch {
    // exited between listing and reading
    return null;
  }
}

/** G, C or C+G by the nodes held besides the GPU's own; null: no context on the GPU. */
export function contextType(held: ReadonlySet<string>): FakeGpuProcess['type'] | null {
  if (!held.has(GPU_NODE)) return null;
  const graphics = held.has(MODESET_NODE);
  const compute = held.has(UVM_NODE);
  if (graphics && compute) return 'C+G';
  if (graphics) return 'G';
  if (compute) return 'C';
  return null;
}

export function readGpuState(control: GpuControl, now: Date, proc = '/proc'): FakeGpuState {
  const processes: FakeGpuProcess[] = [];
  const pids = readdirSync(proc).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
  for (const pid of pids) {
    const held = heldNvidiaPaths(proc, pid);
    const type = held === null ? null : contextType(held);
    const name = type === null ? null : processName(proc, pid);
    if (type === null || name === null) continue;
    const usedMiB = (type === 'C' ? 0 : control.graphicsMiB) + (type === 'G' ? 0 : control.computeMiB);
    processes.push({ pid: Number(pid), type, name, usedMiB });
  }
  processes.push(...control.extraProcesses);
  // the driver reports a display as active while a graphics client drives it
  return { now, displayActive: processes.some((p) => p.type !== 'C'), processes };
}
