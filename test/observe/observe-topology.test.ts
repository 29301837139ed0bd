// observeTopology against fake lspci and bootctl printing real captures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeTopology } from '../../effects/observe/collect-topology.ts';
import { ObservedTopology } from '../../schemas/topology.ts';
import { fakeTools, type FakeTools } from './fake-tools.ts';
import { REAL } from './fixtures.ts';
import { testConfig } from './test-config.ts';

describe('observeTopology', () => {
  let tools: FakeTools;
  beforeEach(() => {
    tools = fakeTools();
  });
  afterEach(() => tools.cleanup());

  it('lists the display controllers and the boot loader', async () => {
    tools.prints('lspci', { stdoutFile: `${REAL}k_lspci/egpu-switcher-22-grep-vga-3d-intel-unnamed-device.txt` });
    tools.prints('bootctl', { stdoutFile: `${REAL}l_bootctl/v246-lenovo-uefi2.00-systemd-boot-245.txt` });
    const topology = await observeTopology(testConfig(), { env: tools.env });
    expect(ObservedTopology.safeParse(topology).success).toBe(true);
    expect(topology.pciDevices.status === 'known' && topology.pciDevices.value).toHaveLength(4);
    expect(topology.pciGpus.status === 'known' && topology.pciGpus.value.map((d) => d.address)).toEqual(['00:02.0', '02:00.0', '08:00.0']);
    expect(topology.bootloader).toMatchObject({ status: 'known', value: { systemdBootInUse: true, bootLoader: 'systemd-boot 245' } });
    expect(topology.bootloader.source).toMatchObject({ kind: 'command', argv: [`${tools.dir}/bootctl`, 'status', '--no-pager'], exitCode: 0 });
  });

  it('reads what bootctl printed even when it exits non-zero (no ESP found), and keeps the exit status', async () => {
    tools.prints('lspci', { stdoutFile: `${REAL}k_lspci/devvm-firecracker-no-pci-ids.txt` });
    tools.prints('bootctl', { stdoutFile: `${REAL}l_bootctl/nixos-limine-9.3.1-secure-boot-systemd-boot-not-installed.txt`, stderr: "Couldn't find EFI system partition.", exitCode: 1 });
    const topology = await observeTopology(testConfig(), { env: tools.env });
    expect(topology.pciGpus).toMatchObject({ status: 'known', value: [] });
    expect(topology.bootloader).toMatchObject({ status: 'known', value: { systemdBootInUse: false, bootLoader: 'Limine 9.3.1' }, source: { exitCode: 1 } });
  });

  it('makes the boot loader unknown when bootctl fails without printing a status', async () => {
    tools.prints('bootctl', { stderr: 'Failed to open /sys/firmware/efi/efivars: Permission denied', exitCode: 1 });
    const topology = await observeTopology(testConfig(), { env: tools.env });
    expect(topology.bootloader).toMatchObject({ status: 'unknown', code: 'tool-failed' });
    expect(topology.pciDevices).toMatchObject({ status: 'unknown', code: 'tool-missing' });
    expect(topology.pciGpus).toMatchObject({ status: 'unknown', code: 'tool-missing' });
  });
});
