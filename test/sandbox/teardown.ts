// Teardown that cannot leave anything behind: SIGKILL to every process of the
// sandbox's cgroup subtree and to the bwrap process we started (by PID, never
// by name), wait for bwrap to be reaped, check that every PID seen in the
// subtree is gone, then remove the subtree and the sandbox folder.
import { readFileSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { cgroupProcesses, killCgroup, removeCgroup } from './cgroup.ts';

export interface TeardownReport {
  /** PIDs of the sandbox (cgroup members, systemd, bwrap) still running after the deadline */
  leftover: number[];
  cgroupRemoved: boolean;
  dirRemoved: boolean;
  problems: string[];
}

export interface TeardownTarget {
  bwrap: ChildProcess;
  /** host PID of the sandbox's systemd, when it was reported */
  systemdPid: number | null;
  cgroup: string;
  dir: string;
  deadlineMs: number;
}

/** Running means: /proc/<pid> exists and is not a zombie waiting for its parent. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess, deadlineMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), deadlineMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function tearDown(target: TeardownTarget): Promise<TeardownReport> {
  const problems: string[] = [];
  const seen = new Set([...cgroupProcesses(target.cgroup), ...(target.systemdPid ? [target.systemdPid] : [])]);
  if (target.bwrap.pid !== undefined) seen.add(target.bwrap.pid);
  try {
    if (!killCgroup(target.cgroup)) problems.push('cgroup.kill is missing (Linux < 5.14): relied on the PID namespace ending with its init');
  } catch (error) {
    problems.push(`cgroup.kill failed: ${String(error)}`);
  }
  if (target.bwrap.pid !== undefined && isRunning(target.bwrap.pid)) target.bwrap.kill('SIGKILL');
  if (!(await exited(target.bwrap, target.deadlineMs))) problems.push(`bwrap (PID ${String(target.bwrap.pid)}) did not exit within ${target.deadlineMs} ms`);

  const start = Date.now();
  let leftover = [...seen, ...cgroupProcesses(target.cgroup)].filter(isRunning);
  while (leftover.length > 0 && Date.now() - start < target.deadlineMs) {
    await pause(50);
    leftover = [...new Set([...seen, ...cgroupProcesses(target.cgroup)])].filter(isRunning);
  }
  if (leftover.length > 0) problems.push(`processes still running: ${leftover.join(', ')}`);

  let cgroupRemoved = false;
  while (!cgroupRemoved && Date.now() - start < target.deadlineMs) {
    try {
      removeCgroup(target.cgroup);
      cgroupRemoved = true;
    } catch {
      // a cgroup stays busy for a moment after its last process is reaped
      await pause(50);
    }
  }
  if (!cgroupRemoved) problems.push(`could not remove the cgroup ${target.cgroup}`);

  let dirRemoved = false;
  try {
    rmSync(target.dir, { recursive: true, force: true });
    dirRemoved = true;
  } catch (error) {
    problems.push(`could not remove ${target.dir}: ${String(error)}`);
  }
  return { leftover, cgroupRemoved, dirRemoved, problems };
}
