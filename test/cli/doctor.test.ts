// The doctor's checks as a pure function of config and facts: each says pass,
// fail or unknown, an unreadable fact is never a pass, and a config that
// disagrees with the machine names the option to fix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { doctorChecks, type DoctorCheck } from '../../cli/doctor/checks.ts';
import { Config, type ConfigInput } from '../../schemas/config.ts';
import type { Facts } from '../../schemas/facts.ts';
import type { ObservedTopology, PciDevice } from '../../schemas/topology.ts';
import { SimulatedHost } from '../../simulation/host.ts';

const base = JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')) as ConfigInput;
const configWith = (change: (c: ConfigInput) => void = () => undefined): Config => {
  const copy = structuredClone(base);
  change(copy);
  return Config.parse(copy);
};
const source = { kind: 'simulated', name: 'doctor-test' } as const;
const at = '2026-01-01T00:00:00.000Z';
const gpu = (address: string): PciDevice => ({ address, classCode: '0300', className: 'VGA compatible controller', vendorId: '10de', deviceId: '2704', vendor: 'NVIDIA Corporation', name: 'AD103', revision: 'a1' });
const topology = (gpus: PciDevice[], efi = true): ObservedTopology => ({
  observedAt: at,
  pciDevices: { status: 'known', value: gpus, source, readAt: at },
  pciGpus: { status: 'known', value: gpus, source, readAt: at },
  bootloader: { status: 'known', value: { efiBoot: efi, firmware: 'UEFI 2.70', secureBoot: 'disabled', bootLoader: efi ? 'systemd-boot 252' : null, systemdBootInUse: efi ? true : null, espPath: efi ? '/boot' : null, notes: [] }, source, readAt: at },
});
const store = [{ path: '/var/lib/dubnium/models', exists: true, isDirectory: true, freeBytes: 10 * 1024 ** 3 }];

async function factsFor(config: Config, visibleGpus: number[]): Promise<Facts> {
  return new SimulatedHost({ config, mode: 'desktop', visibleGpus, paths: store }).observe();
}
const byId = (checks: DoctorCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]));

describe('doctor checks', () => {
  it('pass on a machine that matches the v1 config', async () => {
    const config = configWith();
    const checks = doctorChecks(config, await factsFor(config, [0]), topology([gpu('01:00.0')]));
    expect(checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
  });

  it('fail when the config names a GPU the machine does not show, and say which option to fix', async () => {
    const config = configWith((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [1];
    });
    const checks = doctorChecks(config, await factsFor(config, [0]), topology([gpu('01:00.0')]));
    expect(byId(checks)).toMatchObject({ 'gpus-present': 'fail', 'compute-gpus': 'fail', 'pci-gpus': 'fail' });
    expect(checks.find((c) => c.id === 'gpus-present')?.message).toContain('not visible: 1; fix dubnium.hardware.presentGpus');
  });

  it('fail without EFI, and when vLLM is enabled without a model', async () => {
    const config = configWith((c) => {
      c.vllm.model = null;
    });
    const checks = doctorChecks(config, await factsFor(config, [0]), topology([gpu('01:00.0')], false));
    expect(byId(checks)).toMatchObject({ bootloader: 'fail', 'vllm-model': 'fail' });
  });

  it('say unknown, never pass, when nvidia-smi or bootctl could not be read', async () => {
    const config = configWith();
    const facts = await factsFor(config, [0]);
    const unread = { status: 'unknown', code: 'tool-missing', reason: 'nvidia-smi was not found', source, readAt: at } as const;
    const checks = doctorChecks(config, { ...facts, gpus: unread }, { ...topology([]), bootloader: { ...unread, reason: 'bootctl was not found' } });
    expect(byId(checks)).toMatchObject({ 'gpus-present': 'unknown', 'display-gpu': 'unknown', 'compute-gpus': 'unknown', bootloader: 'unknown' });
    expect(checks.find((c) => c.id === 'gpus-present')?.message).toContain('nvidia-smi was not found');
  });
});
