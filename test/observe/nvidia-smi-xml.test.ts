import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiXml } from '../../effects/observe/parsers/nvidia-smi-xml.ts';
import { real, realFiles } from './fixtures.ts';

const gpusOf = (file: string, options = {}) => {
  const parsed = parseNvidiaSmiXml(real(file), options);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe('nvidia-smi -q -x (real captures)', () => {
  it('reads a T4 with one graphics and one compute process', () => {
    expect(gpusOf('d_nvidia_smi_xml/tesla-t4-515-v11-xorg-and-python.xml')).toEqual([
      {
        index: 0,
        busId: '00000000:00:1E.0',
        name: 'Tesla T4',
        uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a',
        memoryUsedMiB: 1032,
        memoryTotalMiB: 15360,
        displayActive: false,
        migEnabled: null,
        processes: [
          { pid: 675, type: 'G', name: '/usr/lib/xorg/Xorg', usedMemoryMiB: 22 },
          { pid: 5762, type: 'C', name: 'python', usedMemoryMiB: 1005 },
        ],
        minorNumber: 0,
      },
    ]);
  });

  it('lists every graphics process (which --query-compute-apps would hide), with long names', () => {
    const [gpu] = gpusOf('d_nvidia_smi_xml/rtx3080-536-v12-xorg-gnome-browser-processes.xml');
    expect(gpu!.displayActive).toBe(true);
    expect(gpu!.processes.map((p) => [p.pid, p.type, p.usedMemoryMiB])).toEqual([
      [835, 'G', 550],
      [1481, 'G', 18],
      [2214, 'G', 79],
      [4044, 'G', 541],
      [42416, 'G', 159],
    ]);
    expect(gpu!.processes[2]!.name).toMatch(/^\/opt\/microsoft\/msedge\/msedge --type=gpu-process --crashpad-handler-pid=2176 --enable-crash-reporter=, /);
  });

  it('keeps C+G as its own type (COSMIC desktop, v13)', () => {
    const [gpu] = gpusOf('d_nvidia_smi_xml/rtx4000-sff-ada-595-v13-cosmic-cplusg.xml');
    expect(gpu!.processes.map((p) => `${p.pid}:${p.type}:${p.name}`)).toEqual([
      '1842:G:cosmic-comp',
      '3190:G:/usr/bin/code',
      '4937:C:python',
      '34626:C+G:/usr/lib/chromium/chromium',
    ]);
    expect(gpu).toMatchObject({ memoryUsedMiB: 3534, memoryTotalMiB: 20475, displayActive: true });
  });

  it('indexes GPUs in output order and finds one PID on both', () => {
    const gpus = gpusOf('d_nvidia_smi_xml/dual-rtx-a5000-590-v13-same-pid-both-gpus.xml');
    expect(gpus.map((g) => [g.index, g.busId, g.memoryUsedMiB, g.memoryTotalMiB])).toEqual([
      [0, '00000000:81:00.0', 22437, 24564],
      [1, '00000000:C1:00.0', 17253, 24564],
    ]);
    expect(gpus.map((g) => g.processes.map((p) => [p.pid, p.usedMemoryMiB]))).toEqual([[[100477, 22430]], [[100477, 17246]]]);
  });

  it('reads a DTD-less driver 418 output with an empty process list', () => {
    expect(gpusOf('d_nvidia_smi_xml/gtx1660ti-418-no-dtd-graphics-device.xml')).toEqual([
      expect.objectContaining({ index: 0, name: 'Graphics Device', memoryUsedMiB: 0, memoryTotalMiB: 5912, migEnabled: null, processes: [] }),
    ]);
  });

  it('refuses output whose attached_gpus count does not match its <gpu> elements, unless told to inspect it', () => {
    const parsed = parseNvidiaSmiXml(real('d_nvidia_smi_xml/a100-sxm4-535-v12-mig-enabled.xml'));
    expect(parsed).toMatchObject({ ok: false });
    expect(!parsed.ok && parsed.message).toMatch(/<attached_gpus> says 4 but the output has 1 <gpu> elements/);
    const [gpu] = gpusOf('d_nvidia_smi_xml/a100-sxm4-535-v12-mig-enabled.xml', { requireAllAttached: false });
    // the GPU's own memory, not one of its MIG devices'
    expect(gpu).toMatchObject({ migEnabled: true, memoryUsedMiB: 50, memoryTotalMiB: 81920, processes: [] });
  });

  it.each(realFiles('c_nvidia_smi_table'))('rejects the human table %s at line 1', (file) => {
    const parsed = parseNvidiaSmiXml(real(file));
    expect(parsed).toMatchObject({ ok: false, line: 1 });
  });

  it('reads N/A memory as null, never 0, and refuses a process without a pid', () => {
    const text = real('d_nvidia_smi_xml/tesla-t4-515-v11-xorg-and-python.xml');
    const na = parseNvidiaSmiXml(text.replace('<used>1032 MiB</used>', '<used>N/A</used>').replace('<used_memory>22 MiB</used_memory>', '<used_memory>[N/A]</used_memory>'));
    expect(na.ok && [na.value[0]!.memoryUsedMiB, na.value[0]!.processes[0]!.usedMemoryMiB]).toEqual([null, null]);
    const noPid = parseNvidiaSmiXml(text.replace('<pid>675</pid>', '<pid>[N/A]</pid>'));
    expect(noPid).toMatchObject({ ok: false });
    expect(!noPid.ok && noPid.message).toMatch(/^line \d+: GPU 0 has a process without a numeric <pid>/);
  });

  test.prop([fc.nat(), fc.string({ maxLength: 8 })])('a truncated real capture is refused, never half-read', (cut, tail) => {
    const text = real('d_nvidia_smi_xml/tesla-t4-515-v11-xorg-and-python.xml');
    const at = cut % (text.length - 20);
    const parsed = parseNvidiaSmiXml(text.slice(0, at) + tail.replace(/[<>]/g, ''));
    expect(parsed.ok).toBe(false);
  });
});
