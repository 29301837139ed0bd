// What dubnium.slurm opens in the controller's units, and that it is enough:
// the drop-ins the NixOS module writes with Slurm on (nix/tests/slurm-host.nix,
// rendered by nixpkgs' real lib) are loaded by a real systemd over the
// packaged units, and under them scontrol and squeue (Debian's slurm-wlm)
// reach a real munged and slurmctld on the sandbox's loopback: ping, drain
// with a reason, show the node, list its jobs, resume. The same commands
// under the packaged units alone (another instance, no drop-in) cannot reach
// slurmctld, nor under the drop-in without any one of its three keys: the
// opening is what makes it work, not the sandbox, and each key of it is needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { evalJson, NIX_MISSING_HINT } from '../nix/nix-instantiate.ts';
import { findNixpkgsLib } from '../nix/nixpkgs-lib.ts';
import { readUnitFile, settings } from '../units/unit-file.ts';
import { describeResult } from './command.ts';
import { INSIDE_DIR, SUBDIRS, inside } from './layout.ts';
import { describeWhen, sandboxPrerequisites, toolPrerequisites } from './prerequisites.ts';
import { withSandbox, type DropIn, type Sandbox } from './sandbox.ts';

const SLURM_DIR = 'slurm';
const SLURM_CONF = `${INSIDE_DIR}/${SLURM_DIR}/slurm.conf`;
const MUNGE_SOCKET = '/run/munge/munge.socket.2';
const missing = [
  ...sandboxPrerequisites(),
  ...toolPrerequisites(['nix-instantiate']).map((p) => `${p}: ${NIX_MISSING_HINT}`),
  ...toolPrerequisites(['slurmctld', 'scontrol', 'squeue', 'munged']).map((p) => `${p}: apt-get install slurm-wlm munge`),
];

// What a run and mode boot ask of slurmctld, reads and updates, as the adapter does; $1 is the instance.
// No resume: no slurmd runs here (it refuses the sandbox's hybrid cgroups), so the node never registers
// and slurmctld refuses to resume (or undrain) an UNKNOWN node; the feature update is the same update RPC.
// The node is this host: slurmctld only runs on the SlurmctldHost it is named in, and systemd sets
// the sandbox's host name from /etc/hostname at boot.
const PROBE = `set -e
node=$(/bin/hostname -s)
/usr/bin/scontrol ping
/usr/bin/scontrol update NodeName="$node" State=DRAIN "Reason=dubnium: $1"
/usr/bin/scontrol update NodeName="$node" AvailableFeatures=dubnium_compute ActiveFeatures=dubnium_compute
/usr/bin/scontrol show node "$node"
/usr/bin/squeue --noheader --nodelist="$node" --format=%i
echo probe-done
`;

// Loopback only (the sandbox has its own network namespace), root as SlurmUser, no cgroups, no accounting.
function slurmConf(dir: string, node: string): string {
  return [
    'ClusterName=sandbox',
    `SlurmctldHost=${node}(127.0.0.1)`,
    'AuthType=auth/munge',
    `AuthInfo=socket=${MUNGE_SOCKET}`,
    'CredType=cred/munge',
    'SlurmUser=root',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'MpiDefault=none',
    `StateSaveLocation=${dir}/state`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    'ReturnToService=2',
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=1 RealMemory=100 State=UNKNOWN`,
    `PartitionName=workstations Nodes=${node} Default=YES MaxTime=1:00:00 State=UP`,
    '',
  ].join('\n');
}

/**
 * The module's drop-in as a test drop-in: every line, except its two
 * Environment= lines, which name store paths that do not exist here (the
 * PATH, and SLURM_CONF pointing at the module's slurm.conf); SLURM_CONF is
 * this sandbox's instead. Any other Environment= line fails the test.
 */
function fromModule(unit: string, text: string, execStart: string): DropIn {
  const sections: Record<string, string[]> = {};
  for (const setting of settings(readUnitFile(text))) {
    if (setting.key === 'Environment') {
      expect(setting.value, `${unit}: an Environment= line the test would drop`).toMatch(/^"(PATH|SLURM_CONF)=\/nix\/store\//);
      continue;
    }
    (sections[setting.section] ??= []).push(`${setting.key}=${setting.value}`);
  }
  (sections.Service ??= []).push(`Environment=SLURM_CONF=${SLURM_CONF}`, 'ExecStart=', `ExecStart=${execStart}`);
  return { unit, sections };
}

/** Starts munged and slurmctld inside as transient units (stopped with the sandbox); answers the node's name. */
// The keys dubnium.slurm adds to the controller's [Service]; each is needed (the test drops each in turn).
const OPENING = ['PrivateNetwork', 'RestrictAddressFamilies', 'IPAddressAllow'] as const;

function without(dropIn: DropIn, key: (typeof OPENING)[number]): DropIn {
  const service = dropIn.sections.Service ?? [];
  expect(service.some((line) => line.startsWith(`${key}=`)), `the module's drop-in sets ${key}`).toBe(true);
  return { unit: dropIn.unit.replace('@slurm.', `@without-${key}.`), sections: { ...dropIn.sections, Service: service.filter((line) => !line.startsWith(`${key}=`)) } };
}

async function startDaemons(sandbox: Sandbox): Promise<string> {
  const node = (await sandbox.exec(['/bin/hostname', '-s'])).stdout.trim();
  // Slurm resolves even 127.0.0.1 with AI_ADDRCONFIG, which glibc answers only on a host with an IPv4
  // address besides loopback, as every workstation has; the sandbox's own network namespace gets one.
  const address = await sandbox.exec(['/usr/sbin/ip', 'addr', 'add', '10.213.0.1/32', 'dev', 'lo']);
  expect(address.exitCode, describeResult(address)).toBe(0);
  const dir = join(sandbox.dir, SLURM_DIR);
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, 'slurm.conf'), slurmConf(`${INSIDE_DIR}/${SLURM_DIR}`, node));
  const munged = await sandbox.exec([
    '/usr/bin/systemd-run', '--unit=test-munged', '--property=User=munge', '--property=RuntimeDirectory=munge',
    '/usr/sbin/munged', '--foreground', '--key-file=/etc/munge/munge.key', `--socket=${MUNGE_SOCKET}`,
    '--pid-file=/run/munge/munged.pid', '--log-file=/run/munge/munged.log', '--seed-file=/run/munge/munged.seed',
  ]);
  expect(munged.exitCode, describeResult(munged)).toBe(0);
  await sandbox.waitUntil('munged listens', async () => (await sandbox.exec(['/usr/bin/test', '-S', MUNGE_SOCKET])).exitCode === 0, 15_000);
  const ctld = await sandbox.exec(['/usr/bin/systemd-run', '--unit=test-slurmctld', `--setenv=SLURM_CONF=${SLURM_CONF}`, '/usr/sbin/slurmctld', '-D', '-i']);
  expect(ctld.exitCode, describeResult(ctld)).toBe(0);
  await sandbox.waitUntil(
    'slurmctld answers',
    async () => (await sandbox.exec(['/usr/bin/env', `SLURM_CONF=${SLURM_CONF}`, '/usr/bin/scontrol', 'ping'])).stdout.includes('is UP'),
    30_000,
  );
  return node;
}

async function probe(sandbox: Sandbox, unit: string): Promise<{ state: Record<string, string>; output: string }> {
  await sandbox.systemctl(['start', unit], 60_000);
  const state = (await sandbox.show([unit], ['Result', 'ExecMainStatus', 'PrivateNetwork', 'RestrictAddressFamilies', 'IPAddressAllow', 'IPAddressDeny', 'After'])).get(unit) ?? {};
  const output = (await sandbox.exec(['/usr/bin/journalctl', '--no-pager', '-o', 'cat', '-u', unit])).stdout;
  return { state, output };
}

describeWhen(missing, "the controller's units with dubnium.slurm, against a real slurmctld", () => {
  it('reach munged and slurmctld under the drop-ins the module writes, and only under them', async () => {
    const lib = await findNixpkgsLib();
    if ('problem' in lib) throw new Error(lib.problem);
    const module = (await evalJson('nix/tests/slurm-host.nix', ['--argstr', 'nixpkgsLib', lib.path])) as Record<string, string>;
    const script = inside(`${SUBDIRS.lib}/controller.sh`);
    const controller = fromModule('mode-controller@slurm.service', module['mode-controller@.service'] ?? '', `/bin/sh ${script} %i`);
    const dropIns = [
      // one instance gets the module's opening; `sealed` keeps the packaged unit's confinement
      controller,
      // and one instance each without one of the opening's keys
      ...OPENING.map((key) => without(controller, key)),
      fromModule('mode-boot.service', module['mode-boot.service'] ?? '', `/bin/sh ${script} boot`),
    ];
    await withSandbox({ controller: { script: PROBE }, bootProgram: null, dropIns }, async (sandbox) => {
      const node = await startDaemons(sandbox);

      const run = await probe(sandbox, 'mode-controller@slurm.service');
      expect(run.state, run.output).toMatchObject({ Result: 'success', ExecMainStatus: '0', PrivateNetwork: 'no' });
      expect(run.state.RestrictAddressFamilies?.split(' ').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
      expect(run.state.After).toMatch(/munged\.service.*slurmd\.service|slurmd\.service.*munged\.service/);
      expect(run.output).toContain(`Slurmctld(primary) at ${node} is UP`);
      expect(run.output).toContain('Reason=dubnium: slurm');
      expect(run.output).toContain('ActiveFeatures=dubnium_compute');
      expect(run.output).toContain('probe-done');

      const boot = await probe(sandbox, 'mode-boot.service');
      expect(boot.state, boot.output).toMatchObject({ Result: 'success', PrivateNetwork: 'no' });
      expect(boot.output).toContain('Reason=dubnium: boot');
      expect(boot.output).toContain('probe-done');

      for (const key of OPENING) {
        const short = await probe(sandbox, `mode-controller@without-${key}.service`);
        expect({ key, result: short.state.Result, done: short.output.includes('probe-done') }, short.output).toEqual({ key, result: 'exit-code', done: false });
      }

      // systemd took every line of the module's drop-ins: no warning names them
      const pid1 = (await sandbox.exec(['/usr/bin/journalctl', '--no-pager', '-o', 'cat', '_PID=1'])).stdout;
      expect(pid1.split('\n').filter((line) => line.includes('60-test.conf'))).toEqual([]);

      const sealed = await probe(sandbox, 'mode-controller@sealed.service');
      expect(sealed.state, sealed.output).toMatchObject({ Result: 'exit-code', PrivateNetwork: 'yes', RestrictAddressFamilies: 'AF_UNIX' });
      expect(sealed.output).not.toContain('probe-done');
      expect(sealed.output).not.toContain('is UP');
    });
  }, 180_000);
});
