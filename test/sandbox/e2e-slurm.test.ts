// Issue 15 item 2, end to end: the real controller inside the sandbox, with a
// real slurmctld and slurmd (slurm: true) and config.slurm.enable. The
// controller's two units get what the NixOS module opens for Slurm
// (nix/slurm.nix, checked by slurm-unit-access.test.ts): a network,
// AF_INET/AF_INET6, and an IP allowance (loopback here).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import type { DropIn } from './sandbox.ts';
import { slurmPrerequisites } from './slurm-cluster.ts';

const FEATURE = 'dubnium_compute';
const OPENING = ['PrivateNetwork=no', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'IPAddressAllow=localhost'];
const DROP_INS: DropIn[] = ['mode-controller@.service', 'mode-boot.service'].map((unit) => ({ unit, sections: { Service: OPENING } }));
const missing = [...sandboxPrerequisites(), ...slurmPrerequisites()];

describeWhen(missing, 'end to end: Slurm follows the mode (real slurmctld and slurmd)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({
      slurm: true,
      config: (c) => ({ ...c, slurm: { enable: true, computeFeature: FEATURE, drainWaitSeconds: 5, commandTimeoutSeconds: 10 } }),
      dropIns: DROP_INS,
    });
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const node = () => sandbox.config.slurm.nodeName ?? sandbox.config.hostname;
  const scontrolLine = async (): Promise<string> => {
    const shown = await sandbox.exec(['scontrol', 'show', 'node', '--oneliner', node()]);
    if (shown.exitCode !== 0) throw new Error(describeResult(shown));
    return shown.stdout;
  };

  it('at boot on the desktop, mode boot drained the node with reason dubnium: desktop, and the observation has the slurm fact', async () => {
    expect(await scontrolLine()).toMatch(/ State=IDLE\+DRAIN .*Reason=dubnium: desktop \[root@/);
    const observation = JSON.parse(sandbox.readInside('/run/mode-controller/last-observation.json') ?? 'null') as ObservationRecord | null;
    expect(observation?.classification.mode).toBe('desktop');
    expect(observation?.facts.slurm).toMatchObject({ status: 'known', value: { node: node(), jobs: [] } });
  });
});
