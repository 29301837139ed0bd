// A real one-node Slurm cluster inside the sandbox (SandboxOptions.slurm):
// Debian's munged, slurmctld and slurmd (slurm-wlm 22.05.8, munge 0.5.15) as
// units of the sandbox's systemd, wanted by multi-user.target so that they
// answer before mode-boot.service runs. Loopback only: the sandbox has its
// own network namespace. Cgroup-free plugins (proctrack/linuxproc, task/none,
// jobacct_gather/none), state in the sandbox's tmpfs /var, a munge key made
// for this sandbox, and slurm.conf bound over /etc/slurm so every client
// inside (scontrol, squeue, sbatch, the controller) finds it without
// SLURM_CONF. The daemons die with the sandbox (its cgroup is killed).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { slurmNodeName } from '../../effects/fleet/slurm/slurm-command.ts';
import { INSIDE_DIR } from './layout.ts';

const BINARIES = ['/usr/sbin/munged', '/usr/sbin/mungekey', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/scontrol', '/usr/bin/squeue', '/usr/bin/sbatch'];
export const SLURM_UNITS = ['slurm-loopback.service', 'munge.service', 'slurmctld.service', 'slurmd.service'] as const;
/** what glibc's AI_ADDRCONFIG needs to see: with only 127.0.0.1 and ::1, Slurm resolves nothing (TEST-NET-1, on lo) */
export const EXTRA_LOOPBACK_ADDRESS = '192.0.2.1/32';
const SUBDIR = 'slurm';
/** a start is done once the daemon answers: ExecStartPost= runs this script, 30 s at most */
const waitScript = (check: string, what: string) =>
  `#!/bin/sh\n# ${what} has started once this succeeds\nfor i in $(seq 300); do\n  if ${check}; then exit 0; fi\n  sleep 0.1\ndone\necho "${what} did not answer within 30 s" >&2\nexit 1\n`;
const WAITS = (node: string): Record<string, string> => ({
  'wait-munged.sh': waitScript('test -S /run/munge/munge.socket.2', 'munged'),
  'wait-slurmctld.sh': waitScript('/usr/bin/scontrol ping >/dev/null 2>&1', 'slurmctld'),
  // registered: IDLE (or busy, or drained as the saved state says), no longer UNKNOWN or NOT_RESPONDING
  'wait-slurmd.sh': waitScript(`/usr/bin/scontrol show node --oneliner ${node} 2>/dev/null | grep -Eq ' State=(IDLE|MIXED|ALLOCATED)(\\+DRAIN)? '`, 'slurmd'),
});
const waitLine = (name: string) => `ExecStartPost=/bin/sh ${INSIDE_DIR}/${SUBDIR}/${name}`;

export function slurmPrerequisites(): string[] {
  return BINARIES.filter((path) => !existsSync(path)).map((path) => `${path} missing: apt-get install slurm-wlm munge`);
}

export interface PreparedSlurm {
  /** unit files (host paths) for the sandbox's unit folder */
  units: string[];
  /** /etc/slurm inside */
  roBind: { source: string; target: string };
  node: string;
}

export function slurmConf(node: string): string {
  return [
    '# one-node cluster of the dubnium sandbox (test/sandbox/slurm-cluster.ts)',
    'ClusterName=dubnium-sandbox',
    'SlurmctldHost=localhost',
    // root keeps the state folders simple; a site runs it as slurm
    'SlurmUser=root',
    'AuthType=auth/munge',
    'CryptoType=crypto/munge',
    'MpiDefault=none',
    // no cgroup plugins: the sandbox's systemd owns its cgroup subtree
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerType=sched/backfill',
    // a node that comes back registers as usable; DRAIN set by scontrol stays
    'ReturnToService=2',
    'StateSaveLocation=/var/lib/slurmctld',
    'SlurmdSpoolDir=/var/lib/slurmd',
    'SlurmctldPidFile=/run/slurmctld/slurmctld.pid',
    'SlurmdPidFile=/run/slurmd/slurmd.pid',
    'SlurmctldTimeout=10',
    'SlurmdTimeout=300',
    'MessageTimeout=5',
    'InactiveLimit=0',
    'KillWait=5',
    `NodeName=${node} NodeAddr=127.0.0.1 NodeHostname=dubnium-sandbox CPUs=${Math.max(1, cpus().length)} RealMemory=256 State=UNKNOWN Feature=gpu`,
    `PartitionName=lab Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

/**
 * slurmd 22.05 loads a cgroup plugin even when no plugin of its uses cgroups. Autodetected, it picks
 * cgroup/v2 (the sandbox's /sys/fs/cgroup is a cgroup2 subtree), which dies with "fatal: Hybrid mode
 * is not supported" because this host's kernel also has v1 hierarchies (/proc/self/cgroup lists
 * them). cgroup/v1 only reads its configuration until a cgroup plugin (task/cgroup,
 * proctrack/cgroup) asks it for a hierarchy, and none is configured.
 */
const CGROUP_CONF = ['CgroupPlugin=cgroup/v1', 'CgroupAutomount=no', ''].join('\n');

function units(node: string): Record<string, string> {
  const after = (list: string) => [`Requires=${list}`, `After=${list}`];
  return {
    'slurm-loopback.service': ['[Unit]', 'Description=an address beside 127.0.0.1 on lo, so getaddrinfo(AI_ADDRCONFIG) answers Slurm', '[Service]', 'Type=oneshot', 'RemainAfterExit=yes', `ExecStart=/usr/sbin/ip address add ${EXTRA_LOOPBACK_ADDRESS} dev lo`, ''].join('\n'),
    // Debian's munge.service, with the sandbox's key and a foreground daemon
    'munge.service': ['[Unit]', 'Description=MUNGE authentication service (sandbox)', ...after('slurm-loopback.service'), '[Service]', 'Type=simple', 'User=munge', 'Group=munge', 'RuntimeDirectory=munge', 'RuntimeDirectoryMode=0755', 'StateDirectory=munge', 'StateDirectoryMode=0700', `ExecStart=/usr/sbin/munged --foreground --syslog --key-file=${INSIDE_DIR}/${SUBDIR}/munge.key`, waitLine('wait-munged.sh'), ''].join('\n'),
    'slurmctld.service': ['[Unit]', 'Description=Slurm controller daemon (sandbox)', ...after('munge.service slurm-loopback.service'), '[Service]', 'Type=simple', 'RuntimeDirectory=slurmctld', 'StateDirectory=slurmctld', 'ExecStart=/usr/sbin/slurmctld -D -i', waitLine('wait-slurmctld.sh'), ''].join('\n'),
    // -N: the node name is the config's, whatever the sandbox's hostname
    // Wants=, not Requires=: a test stops slurmctld (on a lab's own host) and slurmd must stay up, as on a workstation
    'slurmd.service': ['[Unit]', 'Description=Slurm node daemon (sandbox)', 'Wants=slurmctld.service', 'After=slurmctld.service', '[Service]', 'Type=simple', 'RuntimeDirectory=slurmd', 'StateDirectory=slurmd', `ExecStart=/usr/sbin/slurmd -D -N ${node}`, waitLine('wait-slurmd.sh'), ''].join('\n'),
  };
}

/** writes slurm.conf, a fresh munge key and the units into <dir>/slurm */
export function prepareSlurm(dir: string, config: Config): PreparedSlurm {
  const node = slurmNodeName(config);
  const folder = join(dir, SUBDIR);
  const etc = join(folder, 'etc');
  const unitDir = join(folder, 'units');
  mkdirSync(etc, { recursive: true });
  mkdirSync(unitDir, { recursive: true });
  // the host's /etc/slurm holds plugstack.conf; keep what is there, replace only slurm.conf
  if (existsSync('/etc/slurm')) for (const name of readdirSync('/etc/slurm', { withFileTypes: true })) if (name.isFile()) copyFileSync(join('/etc/slurm', name.name), join(etc, name.name));
  writeFileSync(join(etc, 'slurm.conf'), slurmConf(node), { mode: 0o644 });
  writeFileSync(join(etc, 'cgroup.conf'), CGROUP_CONF, { mode: 0o644 });
  const key = join(folder, 'munge.key');
  execFileSync('/usr/sbin/mungekey', ['--create', `--keyfile=${key}`, '--bits=1024'], { stdio: 'ignore' });
  // munged refuses a key another user can read, or one it does not own
  const munge = execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim();
  const mungeGid = execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }).trim();
  chownSync(key, Number(munge), Number(mungeGid));
  chmodSync(key, 0o600);
  // munged runs as munge (Debian's unit) and must reach its key: the sandbox folder becomes 0711, as with polkit
  chmodSync(dir, 0o711);
  chmodSync(folder, 0o755);
  for (const [name, text] of Object.entries(WAITS(node))) writeFileSync(join(folder, name), text, { mode: 0o755 });
  const paths: string[] = [];
  for (const [name, text] of Object.entries(units(node))) {
    writeFileSync(join(unitDir, name), text);
    paths.push(join(unitDir, name));
  }
  return { units: paths, roBind: { source: etc, target: '/etc/slurm' }, node };
}

/** multi-user.target wants slurmd (and so the rest) in the sandbox's unit folder */
export function enableSlurm(unitFolder: string): void {
  const wants = join(unitFolder, 'multi-user.target.wants');
  mkdirSync(wants, { recursive: true });
  symlinkSync('../slurmd.service', join(wants, 'slurmd.service'));
}

/** scontrol, squeue, sbatch and scancel for code outside, entering the sandbox like its other wrappers */
export function writeSlurmWrappers(outsideBin: string, pid: number): void {
  for (const tool of ['scontrol', 'squeue', 'sbatch', 'scancel']) {
    const path = join(outsideBin, tool);
    writeFileSync(path, `#!/bin/sh\n# ${tool} of the sandbox whose systemd is host PID ${pid}\nexec nsenter --mount --pid --net --ipc --uts --target ${pid} -- /usr/bin/${tool} "$@"\n`);
    chmodSync(path, 0o755);
  }
}
