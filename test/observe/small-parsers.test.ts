import { describe, expect, it } from 'vitest';
import { parseAlsaStatus } from '../../effects/observe/parsers/alsa-status.ts';
import { parseBootctlStatus } from '../../effects/observe/parsers/bootctl-status.ts';
import { displayControllers, parseLspci } from '../../effects/observe/parsers/lspci.ts';
import { parseMeminfo } from '../../effects/observe/parsers/meminfo.ts';
import { parsePactlSinkInputs } from '../../effects/observe/parsers/pactl-sink-inputs.ts';
import { real, synthetic } from './fixtures.ts';

describe('ALSA substream status (real captures)', () => {
  it('reads RUNNING with its owner pid', () => {
    expect(parseAlsaStatus(real('h_alsa_status/rpi3b-running-owner-pid.txt'))).toEqual({ ok: true, value: { state: 'RUNNING', running: true, ownerPid: 24226 } });
  });
  it('reads closed', () => {
    expect(parseAlsaStatus(real('h_alsa_status/rpi3b-closed.txt'))).toEqual({ ok: true, value: { state: 'closed', running: false, ownerPid: null } });
  });
  it('names the line it cannot read', () => {
    expect(parseAlsaStatus(real('j_proc_meminfo/devvm-kernel6.18-24gb.txt'))).toMatchObject({ ok: false, line: 1 });
    const broken = parseAlsaStatus(real('h_alsa_status/rpi3b-running-owner-pid.txt').replace('owner_pid   : 24226', 'owner_pid   : me'));
    expect(broken).toMatchObject({ ok: false, line: 2 });
  });
  it('does not call XRUN or PREPARED running (synthetic: no real capture of these yet)', () => {
    expect(parseAlsaStatus(synthetic('alsa-status-xrun.txt'))).toMatchObject({ ok: true, value: { state: 'XRUN', running: false } });
    expect(parseAlsaStatus(synthetic('alsa-status-prepared-foreign-namespace.txt'))).toMatchObject({ ok: true, value: { state: 'PREPARED', running: false, ownerPid: null } });
  });
});

describe('pactl list sink-inputs (real capture)', () => {
  it('reads an uncorked PipeWire stream with its application', () => {
    expect(parsePactlSinkInputs(real('i_pactl/mon2cam-74-pipewire-spotify-uncorked.txt'))).toEqual({
      ok: true,
      value: [{ id: '64', application: 'spotify', pid: null, uid: null, corked: false, running: true }],
    });
  });
  it("reads the sandbox's real PipeWire 0.3.65 stream with the player's PID", () => {
    expect(parsePactlSinkInputs(real('i_pactl/sandbox-pipewire-0.3.65-paplay-playing.txt'))).toEqual({
      ok: true,
      value: [{ id: '43', application: 'paplay', pid: 59, uid: null, corked: false, running: true }],
    });
  });
  it('reads no output as no streams, and refuses other text at its line', () => {
    expect(parsePactlSinkInputs(real('i_pactl/sandbox-pipewire-0.3.65-no-stream.txt'))).toEqual({ ok: true, value: [] });
    expect(parsePactlSinkInputs('')).toEqual({ ok: true, value: [] });
    expect(parsePactlSinkInputs(real('j_proc_meminfo/devvm-kernel6.18-24gb.txt'))).toMatchObject({ ok: false, line: 1 });
  });
});

describe('/proc/meminfo (real captures)', () => {
  it('reads MemTotal and MemAvailable', () => {
    expect(parseMeminfo(real('j_proc_meminfo/devvm-kernel6.18-24gb.txt'))).toMatchObject({ ok: true, value: { memTotalKiB: 24683620 } });
    const rhel = parseMeminfo(real('j_proc_meminfo/rhel7.1-kernel3.10-8gb.txt'));
    expect(rhel.ok && [rhel.value.memTotalKiB, rhel.value.memAvailableKiB]).toEqual([8009912, 6820236]);
  });
  it('leaves MemAvailable null when the kernel has none (synthetic: a 3.10 capture with the line removed)', () => {
    const parsed = parseMeminfo(synthetic('meminfo-without-memavailable.txt'));
    expect(parsed.ok && [parsed.value.memTotalKiB, parsed.value.memAvailableKiB]).toEqual([8009912, null]);
  });
  it('names the line it cannot read', () => {
    expect(parseMeminfo(real('h_alsa_status/rpi3b-running-owner-pid.txt'))).toMatchObject({ ok: false, line: 1 });
  });
});

describe('lspci -nn (real captures)', () => {
  it('reads a machine without pci.ids: ids only, no names', () => {
    const parsed = parseLspci(real('k_lspci/devvm-firecracker-no-pci-ids.txt'));
    expect(parsed.ok && parsed.value[0]).toEqual({
      address: '00:00.0', classCode: '0600', className: null, vendorId: '8086', deviceId: '0d57', vendor: 'Intel Corporation', name: null, revision: null,
    });
    expect(parsed.ok && parsed.value.map((d) => d.revision)).toEqual([null, '01', '01', '01', '01', '01']);
    expect(parsed.ok && displayControllers(parsed.value)).toEqual([]);
  });
  it('finds VGA and 3D controllers and splits the vendor off the name', () => {
    const parsed = parseLspci(real('k_lspci/egpu-switcher-22-grep-vga-3d-intel-unnamed-device.txt'));
    expect(parsed.ok && displayControllers(parsed.value).map((d) => [d.address, d.classCode, d.vendor, d.name, `${d.vendorId}:${d.deviceId}`])).toEqual([
      ['00:02.0', '0300', 'Intel Corporation', null, '8086:3e9b'],
      ['02:00.0', '0302', 'NVIDIA Corporation', 'GM108M [GeForce MX130]', '10de:174d'],
      ['08:00.0', '0300', 'NVIDIA Corporation', 'GM204 [GeForce GTX 970]', '10de:13c2'],
    ]);
  });
  it('reads "[10de:1200](rev a1)" without a space and a prog-if', () => {
    const parsed = parseLspci(real('k_lspci/nvidiux-10-lspci-vnn-gtx560ti-no-space-before-rev.txt'));
    expect(parsed.ok && parsed.value[0]).toMatchObject({ name: 'GF114 [GeForce GTX 560 Ti]', revision: 'a1', className: 'VGA compatible controller' });
  });
  it('refuses lspci without -nn at its line', () => {
    const parsed = parseLspci(real('k_lspci/devvm-firecracker-no-pci-ids.txt').replace('00:03.0 Class [0200]', '00:03.0 Ethernet controller'));
    expect(parsed).toMatchObject({ ok: false, line: 4 });
  });
});

describe('bootctl status (real captures)', () => {
  it('reads systemd-boot in use from the Current Boot Loader, old layout with Setup Mode', () => {
    expect(parseBootctlStatus(real('l_bootctl/v246-lenovo-uefi2.00-systemd-boot-245.txt'))).toEqual({
      ok: true,
      value: {
        efiBoot: true,
        firmware: 'UEFI 2.00 (Lenovo 0.5216)',
        secureBoot: 'disabled',
        bootLoader: 'systemd-boot 245',
        systemdBootInUse: true,
        espPath: '/boot',
        notes: [],
      },
    });
  });
  it('does not take "systemd-boot" in a note for systemd-boot in use (Limine on NixOS)', () => {
    expect(parseBootctlStatus(real('l_bootctl/nixos-limine-9.3.1-secure-boot-systemd-boot-not-installed.txt'))).toEqual({
      ok: true,
      value: {
        efiBoot: true,
        firmware: null,
        secureBoot: 'enabled (user)',
        bootLoader: 'Limine 9.3.1',
        systemdBootInUse: false,
        espPath: '/boot',
        notes: ['systemd-boot not installed in ESP.'],
      },
    });
  });
  it('reads "Not booted with EFI" (synthetic: the text systemd prints, no real capture yet)', () => {
    expect(parseBootctlStatus(synthetic('bootctl-not-booted-with-efi.txt'))).toMatchObject({ ok: true, value: { efiBoot: false, systemdBootInUse: false, bootLoader: null } });
  });
  it('refuses other text, naming its first line', () => {
    expect(parseBootctlStatus(real('g_loginctl/systemd-536-2015-table-no-tty-column.txt'))).toMatchObject({ ok: false, line: 1 });
  });
});
