// Hardware facts for the plan's phase 0.3 ("capture hardware facts"): PCI
// devices from `lspci -nn` and boot loader facts from `bootctl status`. They
// feed `mode doctor` and hardware-topology.json; no mode depends on them.
import * as z from 'zod';
import { fact } from './facts.ts';

const Hex4 = z.string().regex(/^[0-9a-f]{4}$/);

export const PciDevice = z.strictObject({
  address: z.string().describe('bus address as lspci prints it, e.g. 01:00.0 or 0000:01:00.0'),
  classCode: Hex4.describe('PCI class and subclass, e.g. 0300 (VGA), 0302 (3D controller), 0403 (audio)'),
  className: z.string().nullable().describe('null when lspci has no name database'),
  vendorId: Hex4,
  deviceId: Hex4,
  vendor: z.string().nullable().describe('vendor name; null when neither lspci nor the vendor id says it'),
  name: z.string().nullable().describe('device name without the vendor; null when lspci has no name for it'),
  revision: z.string().nullable(),
});
export type PciDevice = z.infer<typeof PciDevice>;

export const BootloaderFacts = z.strictObject({
  efiBoot: z.boolean().describe('false when bootctl says "Not booted with EFI" (then no EFI variables exist)'),
  firmware: z.string().nullable(),
  secureBoot: z.string().nullable().describe('as bootctl prints it, e.g. "disabled" or "enabled (user)"'),
  bootLoader: z.string().nullable().describe('the Current Boot Loader product, e.g. "systemd-boot 252.38-1~deb12u1"'),
  systemdBootInUse: z.boolean().nullable().describe('the running boot loader is systemd-boot; null when bootctl cannot tell'),
  espPath: z.string().nullable().describe('the ESP bootctl found, from "Available Boot Loaders on ESP"'),
  notes: z.array(z.string()).describe('lines bootctl printed outside its sections, e.g. "systemd-boot not installed in ESP."'),
});
export type BootloaderFacts = z.infer<typeof BootloaderFacts>;

export const ObservedTopology = z.strictObject({
  observedAt: z.iso.datetime(),
  pciDevices: fact(z.array(PciDevice)),
  /** display controllers (class 03xx) among pciDevices */
  pciGpus: fact(z.array(PciDevice)),
  bootloader: fact(BootloaderFacts),
});
export type ObservedTopology = z.infer<typeof ObservedTopology>;
