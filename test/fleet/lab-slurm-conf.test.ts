// The Slurm partition of docs/fleet.md ("Running a lab") as a real slurmctld
// reads it: the NodeName=, PartitionName= and extra lines that nixpkgs'
// module writes from examples/lab/workstation.nix (nix/tests/lab-slurm.nix)
// go into a slurm.conf that only swaps the lab's controller host and paths
// for this machine's, and Debian's slurmctld 22.05.8 takes them: four nodes
// with 16 CPUs, 60000 MB and gpu:1 each, the partition with its times and
// OverSubscribe=NO. With every node drained (as the controller leaves them
// outside compute) a job waits, and a --constraint on the compute feature is
// refused until a node has it. A broken line makes the same run fail, so the
// check reads what it is given. slurmctld and munged run in a bubblewrap sandbox of their
// own (no systemd in it), with a private network namespace (its loopback
// only) and an /etc/hosts that names the lab's nodes; they die with it.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evalJson, NIX_MISSING_HINT } from '../nix/nix-instantiate.ts';
import { findNixpkgsLib } from '../nix/nixpkgs-lib.ts';
import { runCommand, type CommandResult } from '../sandbox/command.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';

const missing = [
  ...toolPrerequisites(['nix-instantiate']).map((p) => `${p}: ${NIX_MISSING_HINT}`),
  ...toolPrerequisites(['bwrap', 'slurmctld', 'scontrol', 'munged', 'runuser', 'ip']).map((p) => `${p}: apt-get install bubblewrap slurm-wlm munge iproute2`),
];

interface LabSlurm {
  clusterName: string;
  controlMachine: string;
  nodeName: string[];
  partitionName: string[];
  extraConfig: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'dubnium-lab-slurm-'));
// munged runs as its own user: it must reach its folder below this one
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** This machine as the lab's controller: only the host, the auth socket, root as SlurmUser, paths here, no accounting. */
function testLines(dir: string, host: string, lab: LabSlurm): string[] {
  return [
    `ClusterName=${lab.clusterName}`,
    // as nixpkgs' module writes them (controlMachine, and controlAddr defaulting to it), this host instead of labctl
    `controlMachine=${host}`,
    'controlAddr=127.0.0.1',
    'AuthType=auth/munge',
    `AuthInfo=socket=${dir}/munge/munge.socket`,
    'CredType=cred/munge',
    'SlurmUser=root',
    `StateSaveLocation=${dir}/state`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    // nixpkgs' module writes its procTrackType (default proctrack/linuxproc) itself
    'ProctrackType=proctrack/linuxproc',
    'MpiDefault=none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
  ];
}

// Inside the bubble: a second loopback address (Slurm resolves with AI_ADDRCONFIG, which glibc refuses on a
// loopback-only host), munged as its user, slurmctld, then what it made of the configuration.
const SCRIPT = `set -e
dir=$1
/usr/sbin/ip addr add 10.213.0.1/32 dev lo
/usr/sbin/runuser -u munge -- /usr/sbin/munged --key-file=/etc/munge/munge.key --socket="$dir/munge/munge.socket" \\
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
echo munge-up
export SLURM_CONF="$dir/slurm.conf"
/usr/sbin/slurmctld -i || echo "slurmctld-exit=$?"
up=no
for i in $(seq 100); do
  if /usr/bin/scontrol ping 2>/dev/null | grep -q 'is UP'; then up=yes; break; fi
  sleep 0.1
done
echo "controller-up=$up"
/usr/bin/scontrol show partition --oneliner
/usr/bin/scontrol show node --oneliner
`;

/** `then`: more shell lines, run with slurmctld up (set -e no longer applies) */
async function runLab(name: string, conf: string, hosts: string, then = ''): Promise<{ result: CommandResult; log: string }> {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'state'), { recursive: true });
  mkdirSync(join(dir, 'munge'), { recursive: true });
  const munge = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim());
  chownSync(join(dir, 'munge'), munge, munge);
  writeFileSync(join(dir, 'slurm.conf'), conf.replaceAll('@DIR@', dir));
  writeFileSync(join(dir, 'hosts'), hosts);
  writeFileSync(join(dir, 'run.sh'), `${SCRIPT}set +e\n${then}`);
  const result = await runCommand(
    'bwrap',
    ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/run', '--bind', dir, dir, '--ro-bind', join(dir, 'hosts'), '/etc/hosts', '--unshare-net', '--unshare-pid', '--die-with-parent', '/bin/sh', join(dir, 'run.sh'), dir],
    { timeoutMs: 60_000 },
  );
  const logFile = join(dir, 'slurmctld.log');
  return { result, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no slurmctld.log)' };
}

const field = (line: string, key: string): string | undefined => new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(line)?.[1];

describeWhen(missing, "the lab's Slurm partition under a real slurmctld", () => {
  let lab: LabSlurm;
  let host: string;
  let hosts: string;
  let conf: string;

  beforeAll(async () => {
    const lib = await findNixpkgsLib();
    if ('problem' in lib) throw new Error(lib.problem);
    lab = (await evalJson('nix/tests/lab-slurm.nix', ['--argstr', 'nixpkgsLib', lib.path])) as LabSlurm;
    host = execFileSync('hostname', ['-s'], { encoding: 'utf8' }).trim();
    conf = [...testLines('@DIR@', host, lab), ...lab.nodeName, ...lab.partitionName, lab.extraConfig].join('\n');
    // the lab's node names, expanded by Slurm itself (it reads a slurm.conf even for that), all on this loopback
    const nodeList = /^NodeName=(\S+)/.exec(lab.nodeName[0] ?? '')?.[1] ?? '';
    writeFileSync(join(scratch, 'hostnames.conf'), conf.replaceAll('@DIR@', scratch));
    const names = execFileSync('scontrol', ['show', 'hostnames', nodeList], { encoding: 'utf8', env: { ...process.env, SLURM_CONF: join(scratch, 'hostnames.conf') } }).trim().split('\n');
    hosts = `${readFileSync('/etc/hosts', 'utf8')}\n127.0.0.1 ${names.join(' ')}\n`;
  }, 60_000);

  it('takes the lab lines: four GPU nodes in partition workstations, with its times and no oversubscription', async () => {
    expect(lab.controlMachine).toBe('labctl');
    const { result, log } = await runLab('lab', conf, hosts);
    const text = `${result.stdout}\n${result.stderr}\nslurmctld.log:\n${log}`;
    expect(result.exitCode, text).toBe(0);
    expect(result.stdout, text).toContain('controller-up=yes');
    const lines = result.stdout.split('\n');
    const partition = lines.find((line) => line.startsWith('PartitionName=workstations')) ?? '';
    expect(
      Object.fromEntries(['Nodes', 'Default', 'DefaultTime', 'MaxTime', 'OverSubscribe', 'State', 'TotalNodes', 'TotalCPUs'].map((key) => [key, field(partition, key)])),
      text,
    ).toEqual({ Nodes: 'ws[01-04]', Default: 'YES', DefaultTime: '01:00:00', MaxTime: '12:00:00', OverSubscribe: 'NO', State: 'UP', TotalNodes: '4', TotalCPUs: '64' });
    const nodes = lines.filter((line) => line.startsWith('NodeName='));
    expect(nodes.map((line) => [field(line, 'NodeName'), field(line, 'CPUTot'), field(line, 'RealMemory'), field(line, 'Gres'), field(line, 'Partitions')])).toEqual(
      ['ws01', 'ws02', 'ws03', 'ws04'].map((name) => [name, '16', '60000', 'gpu:1', 'workstations']),
    );
    expect(log).not.toMatch(/fatal/i);
  }, 90_000);

  // What docs/fleet.md tells the lab's users, as slurmctld answers: the controller drains every workstation
  // outside compute and sets the feature in both lists only on one it resumed (effects/fleet/slurm/features.ts).
  it('lets a job wait while every workstation is drained, and refuses a --constraint on the feature until one has it', async () => {
    const job = '/usr/bin/sbatch --parsable --partition=workstations --gres=gpu:1 --time=04:00:00';
    const { result, log } = await runLab(
      'jobs',
      conf,
      hosts,
      `for n in $(/usr/bin/scontrol show hostnames 'ws[01-04]'); do /usr/bin/scontrol update NodeName=$n State=DRAIN 'Reason=dubnium: desktop'; done
${job} --constraint=dubnium_compute --wrap true; echo "constrained-outside=$?"
${job} --wrap true; echo "plain=$?"
/usr/bin/squeue --noheader --format='job %i %T'
/usr/bin/scontrol update NodeName=ws01 AvailableFeatures=dubnium_compute ActiveFeatures=dubnium_compute
${job} --constraint=dubnium_compute --wrap true; echo "constrained-in-compute=$?"
`,
    );
    const text = `${result.stdout}\n${result.stderr}\nslurmctld.log:\n${log}`;
    expect(result.stdout, text).toContain('controller-up=yes');
    expect(result.stderr, text).toContain('Batch job submission failed: Invalid feature specification');
    const status = (key: string) => new RegExp(`^${key}=(\\d+)$`, 'm').exec(result.stdout)?.[1];
    expect([status('constrained-outside'), status('plain'), status('constrained-in-compute')], text).toEqual(['1', '0', '0']);
    expect(result.stdout, text).toMatch(/^job \d+ PENDING$/m);
  }, 90_000);

  it('fails on a line Slurm does not take (the check reads the configuration)', async () => {
    const broken = conf.replace('OverSubscribe=NO', 'OverSubscribe=SOMETIMES');
    expect(broken).not.toBe(conf);
    const { result, log } = await runLab('broken', broken, hosts);
    const text = `${result.stdout}\n${result.stderr}\n${log}`;
    expect(result.stdout, text).toContain('munge-up');
    expect(result.stdout, text).not.toContain('controller-up=yes');
    expect(`${result.stderr}\n${log}`, text).toContain('SOMETIMES');
  }, 90_000);
});
