// debugParse on real captures: the JSON names the issue asks for, null for
// unknown values, a typed error naming the line for input of another format,
// and output that the published JSON Schema accepts.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { debugParse, DEBUG_PARSE_SOURCES } from '../../effects/observe/debug-parse.ts';
import { DebugParseOutput } from '../../schemas/debug-parse.ts';
import { jsonSchemaFor } from '../../schemas/json-schema.ts';
import { real } from './fixtures.ts';

const validate = new Ajv2020({ strict: false, allErrors: true, logger: false }).compile(jsonSchemaFor('debug-parse'));

const SAMPLES: Record<(typeof DEBUG_PARSE_SOURCES)[number], string> = {
  'nvidia-smi-xml': 'd_nvidia_smi_xml/rtx4000-sff-ada-595-v13-cosmic-cplusg.xml',
  'nvidia-smi-gpus': 'a_query_gpu_csv/h100-mig-590-full-query-gpu-212-fields-header-units.csv',
  'nvidia-smi-apps': 'b_query_compute_apps_csv/win-rtx2080super-591-idle-paths-with-spaces-mem-na.csv',
  'systemctl-show': 'e_systemctl_show/sandbox-252-names-alias-masked-runtime-weights.txt',
  'loginctl-sessions': 'g_loginctl/systemd-35453-nixos-v256.8-output-json-ignored-table.txt',
  'loginctl-session': 'g_loginctl/systemd-536-2015-show-session-closing.txt',
  'alsa-status': 'h_alsa_status/rpi3b-running-owner-pid.txt',
  meminfo: 'j_proc_meminfo/rhel7.1-kernel3.10-8gb.txt',
  lspci: 'k_lspci/egpu-switcher-22-grep-vga-3d-intel-unnamed-device.txt',
  bootctl: 'l_bootctl/nixos-limine-9.3.1-secure-boot-systemd-boot-not-installed.txt',
};

const output = (source: string, file: string, options = {}) => {
  const result = debugParse(source, real(file), options);
  if (!result.ok) throw new Error(result.message);
  return result.output;
};

describe('debugParse', () => {
  it.each(DEBUG_PARSE_SOURCES)('%s: output conforms to the zod schema and the published JSON Schema', (source) => {
    const parsed = output(source, SAMPLES[source]);
    expect(parsed).toMatchObject({ schemaVersion: 1, source });
    expect(DebugParseOutput.safeParse(parsed).success).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(parsed))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('uses the issue\'s names: gpus[].index, busId, name, memoryUsedMiB, memoryTotalMiB, processes[].pid, type, name, usedMemoryMiB', () => {
    const parsed = output('nvidia-smi-xml', SAMPLES['nvidia-smi-xml']);
    expect(parsed.source === 'nvidia-smi-xml' && parsed.gpus[0]).toMatchObject({
      index: 0,
      busId: '00000000:06:00.0',
      name: 'NVIDIA RTX 4000 SFF Ada Generation',
      memoryUsedMiB: 3534,
      memoryTotalMiB: 20475,
    });
    expect(parsed.source === 'nvidia-smi-xml' && parsed.gpus[0]!.processes.at(-1)).toEqual({ pid: 34626, type: 'C+G', name: '/usr/lib/chromium/chromium', usedMemoryMiB: 183 });
  });

  it('prints unknown memory as null, never 0 (compute apps with [N/A])', () => {
    const parsed = output('nvidia-smi-apps', SAMPLES['nvidia-smi-apps']);
    expect(parsed.source === 'nvidia-smi-apps' && parsed.processes.map((p) => p.usedMemoryMiB)).toEqual(Array(10).fill(null));
  });

  it('reads headerless CSV when --fields names the columns, and only then', () => {
    const fields = ['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'];
    const body = real('b_query_compute_apps_csv/h100-mig-590-load-procs-report-parent-busid.csv').split('\n').slice(1).join('\n').replace(/ MiB/g, '');
    const parsed = output('nvidia-smi-apps', 'b_query_compute_apps_csv/h100-mig-590-load-procs-report-parent-busid.csv');
    const headerless = debugParse('nvidia-smi-apps', body, { fields });
    expect(headerless.ok && headerless.output).toEqual(parsed);
    expect(debugParse('nvidia-smi-apps', body)).toMatchObject({ ok: false, line: 1 });
    expect(debugParse('meminfo', 'MemTotal: 1 kB\n', { fields })).toMatchObject({ ok: false, message: '--fields applies only to nvidia-smi-gpus and nvidia-smi-apps, not to meminfo' });
  });

  it('uses the issue\'s names for units, sessions, ALSA, meminfo and lspci', () => {
    const units = output('systemctl-show', SAMPLES['systemctl-show']);
    expect(units.source === 'systemctl-show' && units.units.find((u) => u.id === 'gdm.service')).toEqual({
      id: 'gdm.service', names: ['gdm.service', 'display-manager.service'], loadState: 'loaded', activeState: 'active', subState: 'exited', result: 'success', cpuWeight: null, ioWeight: null,
    });
    const sessions = output('loginctl-sessions', SAMPLES['loginctl-sessions']);
    expect(sessions.source === 'loginctl-sessions' && sessions.sessions[3]).toEqual({
      id: 'c1', uid: 132, user: 'gdm', seat: 'seat0', tty: 'tty7', leader: 1011, class: 'greeter', state: null, type: null, active: null, remote: null,
    });
    expect(output('alsa-status', SAMPLES['alsa-status'])).toEqual({ schemaVersion: 1, source: 'alsa-status', state: 'RUNNING', running: true, ownerPid: 24226 });
    expect(output('meminfo', SAMPLES.meminfo)).toEqual({ schemaVersion: 1, source: 'meminfo', memTotalKiB: 8009912, memAvailableKiB: 6820236 });
    const lspci = output('lspci', SAMPLES.lspci);
    expect(lspci.source === 'lspci' && lspci.gpus.map((g) => [g.address, g.vendor, g.name])).toEqual([
      ['00:02.0', 'Intel Corporation', null],
      ['02:00.0', 'NVIDIA Corporation', 'GM108M [GeForce MX130]'],
      ['08:00.0', 'NVIDIA Corporation', 'GM204 [GeForce GTX 970]'],
    ]);
  });

  it.each(DEBUG_PARSE_SOURCES.filter((s) => s !== 'nvidia-smi-apps' && s !== 'nvidia-smi-gpus'))('%s: input of another format is a typed error that names the line', (source) => {
    const other = source === 'systemctl-show' || source === 'loginctl-session' ? 'l_bootctl/v246-lenovo-uefi2.00-systemd-boot-245.txt' : 'e_systemctl_show/sandbox-252-boot-not-found-dm-targets-without-weights.txt';
    const result = debugParse(source, real(other));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).not.toBeNull();
    expect(result.message).toMatch(new RegExp(`^${source}: line ${result.line}: `));
    expect(result.excerpt.length).toBeGreaterThan(0);
  });

  it('names the sources it knows when given another', () => {
    const result = debugParse('nvidia-smi', '');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^unknown source "nvidia-smi"; use one of: nvidia-smi-xml, nvidia-smi-gpus/);
  });
});
