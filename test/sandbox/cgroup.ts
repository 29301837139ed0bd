// Each sandbox gets its own cgroup v2 subtree, made here before bwrap starts
// and entered by bwrap with --unshare-cgroup, so the sandboxed systemd sees
// that subtree as the whole hierarchy. Without it, a systemd booted on a host
// whose PID 1 is not systemd takes over the host's root cgroup, and two
// sandboxes would share (and kill each other's) system.slice. The subtree is
// also the sandbox's marker: at teardown every process in it must be gone.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host). */
export function cgroup2Mount(): string | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.startsWith('cgroup2 ')) return left?.split(' ')[4] ?? null;
  }
  return null;
}

/** This process's own cgroup v2 path ("0::/path" in /proc/self/cgroup). */
export function ownCgroup2Path(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('0::'));
  return line ? line.slice(3) : '/';
}

export function createSandboxCgroup(name: string): string {
  const mount = cgroup2Mount();
  if (!mount) throw new Error('no cgroup2 hierarchy is mounted (see /proc/self/mountinfo); the sandbox needs one to give systemd its own subtree');
  const path = join(mount, ownCgroup2Path(), name);
  mkdirSync(path);
  return path;
}

function childGroups(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(path, e.name));
  } catch {
    return [];
  }
}

/** Every PID in the subtree (host PID namespace). */
export function cgroupProcesses(path: string): number[] {
  let own: number[] = [];
  try {
    own = readFileSync(join(path, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  } catch {
    // removed meanwhile
  }
  return [...own, ...childGroups(path).flatMap(cgroupProcesses)];
}

/** SIGKILL to every process of the subtree at once (cgroup.kill, Linux 5.14+); false when the kernel lacks it. */
export function killCgroup(path: string): boolean {
  const file = join(path, 'cgroup.kill');
  if (!existsSync(file)) return false;
  writeFileSync(file, '1');
  return true;
}

/** Removes the subtree, deepest first; an empty cgroup can be removed only once its last process is gone. */
export function removeCgroup(path: string): void {
  for (const child of childGroups(path)) removeCgroup(child);
  rmdirSync(path);
}
