// The filesystem roots for code OUTSIDE the sandbox that observes it with the
// project's collectors (observeFacts): the world's /proc files the controller
// is given, the sandbox's own cgroup subtree, and its /run and /proc as its
// PID 1 sees them. /proc/<pid>/root/proc is the sandbox's procfs (its PID
// namespace): the host's /proc would show every sandbox's processes, and other
// sandboxes' display servers hold their own /dev/nvidia0.
import type { FsRoots } from '../../effects/observe/observe-context.ts';
import type { Sandbox } from './sandbox.ts';

export function outsideRoots(sandbox: Pick<Sandbox, 'procRoot' | 'cgroup' | 'systemdPid'>): Partial<FsRoots> {
  return {
    proc: sandbox.procRoot,
    cgroup: sandbox.cgroup,
    run: `/proc/${sandbox.systemdPid}/root/run`,
    pids: `/proc/${sandbox.systemdPid}/root/proc`,
  };
}
