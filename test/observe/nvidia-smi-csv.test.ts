import { describe, expect, it } from 'vitest';
import { computeAppsFromCsv, gpusFromCsv, parseNvidiaCsv } from '../../effects/observe/parsers/nvidia-smi-csv.ts';
import { real, realFiles } from './fixtures.ts';

const table = (text: string, fields?: string[]) => {
  const parsed = parseNvidiaCsv(text, fields);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe('nvidia-smi --query-gpu CSV (real capture)', () => {
  it('reads the 212-column MIG H100 row: units stripped, [N/A] null, never 0', () => {
    const parsed = table(real('a_query_gpu_csv/h100-mig-590-full-query-gpu-212-fields-header-units.csv'));
    expect(parsed.columns).toHaveLength(212);
    expect(parsed.columns.find((c) => c.name === 'memory.used')).toEqual({ name: 'memory.used', unit: 'MiB' });
    const gpus = gpusFromCsv(parsed);
    expect(gpus.ok && gpus.value).toEqual([
      {
        index: 0,
        busId: '00000000:00:09.0',
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        memoryUsedMiB: 59,
        memoryTotalMiB: 81559,
        displayActive: false,
        migEnabled: true,
      },
    ]);
    const utilization = parsed.columns.findIndex((c) => c.name === 'utilization.gpu');
    expect(parsed.rows[0]!.cells[utilization]).toBe('[N/A]');
  });

  it('reads the same row without header and units when --fields names the columns', () => {
    const lines = real('a_query_gpu_csv/h100-mig-590-full-query-gpu-212-fields-header-units.csv').split('\n');
    const fields = lines[0]!.split(',').map((c) => c.trim().replace(/ \[.*\]$/, ''));
    const noUnits = lines[1]!.replace(/ MiB/g, '');
    const gpus = gpusFromCsv(table(`${noUnits}\n`, fields));
    expect(gpus.ok && gpus.value[0]).toMatchObject({ index: 0, memoryUsedMiB: 59, memoryTotalMiB: 81559 });
  });

  it('asks for --fields when a headerless row comes alone', () => {
    const row = real('a_query_gpu_csv/h100-mig-590-full-query-gpu-212-fields-header-units.csv').split('\n')[1]!;
    const parsed = parseNvidiaCsv(`${row}\n`);
    expect(parsed).toMatchObject({ ok: false, line: 1 });
    expect(!parsed.ok && parsed.message).toMatch(/--fields/);
  });
});

describe('nvidia-smi --query-compute-apps CSV (real captures)', () => {
  const apps = (file: string) => {
    const parsed = computeAppsFromCsv(table(real(file)));
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value;
  };

  it('lists the compositor that is C+G in the table as a compute app', () => {
    expect(apps('b_query_compute_apps_csv/rtx4080super-595-load-kwin-cplusg-and-ffmpeg.csv')).toEqual([
      { pid: 2165, name: '/usr/bin/kwin_wayland', usedMemoryMiB: 25, gpuBusId: '00000000:01:00.0', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000' },
      { pid: 5022, name: 'ffmpeg', usedMemoryMiB: 503, gpuBusId: '00000000:01:00.0', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000' },
      { pid: 5021, name: 'ffmpeg', usedMemoryMiB: 360, gpuBusId: '00000000:01:00.0', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000' },
    ]);
  });

  it('reads a header with no rows as no compute apps', () => {
    expect(apps('b_query_compute_apps_csv/rtx2080super-595-idle-header-only-zero-procs.csv')).toEqual([]);
  });

  it('keeps Windows paths with spaces whole and [N/A] memory null', () => {
    const list = apps('b_query_compute_apps_csv/win-rtx2080super-591-idle-paths-with-spaces-mem-na.csv');
    expect(list).toHaveLength(10);
    expect(list.every((a) => a.usedMemoryMiB === null)).toBe(true);
    expect(list.map((a) => a.name)).toContain('C:\\Program Files\\NVIDIA Corporation\\NVIDIA GeForce Experience\\NVIDIA Share.exe');
  });

  it('reports MIG processes against the parent GPU bus id', () => {
    const list = apps('b_query_compute_apps_csv/h100-mig-590-load-procs-report-parent-busid.csv');
    expect(list.map((a) => [a.pid, a.name, a.usedMemoryMiB, a.gpuBusId])).toEqual([
      [21180, '/root/tools/memhog', 2296, '00000000:00:09.0'],
      [21181, '/root/tools/memhog', 1272, '00000000:00:09.0'],
      [21198, './gpu_burn', 7484, '00000000:00:09.0'],
    ]);
  });

  it('joins a process name that contains ", " back together when only one free-text column exists', () => {
    const parsed = computeAppsFromCsv(table('pid, process_name, used_gpu_memory [MiB]\n4242, /opt/app --flag=a, b, 12 MiB\n'));
    expect(parsed.ok && parsed.value).toEqual([{ pid: 4242, name: '/opt/app --flag=a, b', usedMemoryMiB: 12, gpuBusId: null, gpuUuid: null }]);
  });

  it('names the line whose cell count is wrong when the split cannot be repaired', () => {
    const text = real('b_query_compute_apps_csv/rtx4080super-595-load-kwin-cplusg-and-ffmpeg.csv').replace('ffmpeg, 503 MiB', 'ffmpeg, x, 503 MiB');
    const parsed = parseNvidiaCsv(text);
    expect(parsed).toMatchObject({ ok: false, line: 3 });
    expect(!parsed.ok && parsed.message).toMatch(/expected 8 comma-separated values/);
  });
});

describe('what is not nvidia-smi CSV', () => {
  it.each(realFiles('c_nvidia_smi_table'))('the human table %s is refused at its first line', (file) => {
    expect(parseNvidiaCsv(real(file))).toMatchObject({ ok: false, line: 1 });
  });
});
