// The bubblewrap command line that boots systemd 252 as PID 1 of private
// namespaces. Read /work/shared/sandbox/NOTES.md ("DANGER") before changing
// it: outside such a bubble, systemd wipes the machine's /tmp. What keeps the
// host safe, line by line:
//   --ro-bind / /                    the host's files are visible, never writable
//   --tmpfs /tmp /run /var /home     fresh and private: all that systemd, the units and the
//                                    user manager write
//   SYSTEMD_UNIT_PATH                only our folder (plus systemd's runtime control and
//                                    transient folders, inside the private /run): no host unit,
//                                    so no systemd-tmpfiles, no remount, no getty
//   SYSTEMD_*GENERATOR_PATH          an empty folder: no host generator runs
//   --unshare-pid/net/ipc/uts/cgroup own PIDs, loopback, hostname and cgroup subtree
//   --die-with-parent                the bubble dies with the test process
import { INSIDE_DIR, INSIDE_REPO, SUBDIRS } from './layout.ts';

export const SYSTEMD_BINARY = '/lib/systemd/systemd';
export const BOOT_TARGET = 'graphical.target';

export interface BwrapPlan {
  /** the host folder of this sandbox */
  dir: string;
  /** the host path of the sandbox's own cgroup v2 subtree */
  cgroup: string;
  repo: string;
  /** file descriptor on which bwrap reports the PID of systemd */
  infoFd: number;
  /** more read-only binds of sandbox files over host paths (opt-in parts, e.g. polkit's rules folder) */
  roBinds?: readonly { source: string; target: string }[];
  /** device nodes bound after --dev /dev (the stand-in GPU's /dev/nvidia*, gpu-node.ts) */
  devBinds?: readonly { source: string; target: string }[];
}

export function unitSearchPath(): string {
  // set-property --runtime writes to system.control; systemd-run to transient
  return ['/run/systemd/system.control', '/run/systemd/transient', `${INSIDE_DIR}/${SUBDIRS.units}`].join(':');
}

export function bwrapArgs(plan: BwrapPlan): string[] {
  const etc = `${plan.dir}/${SUBDIRS.etc}`;
  return [
    '--ro-bind', '/', '/',
    '--tmpfs', '/tmp',
    '--tmpfs', '/run',
    '--tmpfs', '/var',
    // the desktop user's home is made in here (user-manager.ts); the host's homes stay unseen
    '--tmpfs', '/home',
    // as on every systemd host (otherwise PID1 reports itself tainted: var-run-bad)
    '--symlink', '../run', '/var/run',
    '--dir', '/var/log',
    '--dev', '/dev',
    ...(plan.devBinds ?? []).flatMap((bind) => ['--dev-bind', bind.source, bind.target]),
    '--proc', '/proc',
    '--bind', plan.cgroup, '/sys/fs/cgroup',
    '--bind', plan.dir, INSIDE_DIR,
    '--ro-bind', plan.repo, INSIDE_REPO,
    '--ro-bind', `${etc}/passwd`, '/etc/passwd',
    '--ro-bind', `${etc}/group`, '/etc/group',
    '--ro-bind', `${etc}/shadow`, '/etc/shadow',
    ...(plan.roBinds ?? []).flatMap((bind) => ['--ro-bind', bind.source, bind.target]),
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname', 'dubnium-sandbox',
    '--unshare-cgroup',
    '--as-pid-1',
    '--die-with-parent',
    '--new-session',
    '--info-fd', String(plan.infoFd),
    '--clearenv',
    '--setenv', 'PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--setenv', 'container', 'other',
    '--setenv', 'SYSTEMD_UNIT_PATH', unitSearchPath(),
    '--setenv', 'SYSTEMD_GENERATOR_PATH', `${INSIDE_DIR}/${SUBDIRS.empty}`,
    '--setenv', 'SYSTEMD_ENVIRONMENT_GENERATOR_PATH', `${INSIDE_DIR}/${SUBDIRS.empty}`,
    SYSTEMD_BINARY,
    '--system',
    `--unit=${BOOT_TARGET}`,
    // the journal inside, never the host's kernel log
    '--log-target=journal',
    '--log-level=info',
    // in a container systemd reads its kernel-style options from its own argv
    'systemd.unified_cgroup_hierarchy=1',
  ];
}
