// The fake nvidia-smi changes a real capture only where the sandbox differs:
// every other line stays byte for byte the real tool's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { csvTimestamp, parseFormat, readTemplate, renderComputeApps, renderQueryGpu, renderXml, xmlTimestamp, type FakeGpuState } from './stand-ins/nvidia-smi-render.ts';

const TEMPLATE = readFileSync(join(import.meta.dirname, 'templates', 'nvidia-smi-q-x.rtx4000-sff-ada-595-v13.xml'), 'utf8');
const NOW = new Date(Date.UTC(2026, 7, 6, 1, 3, 40, 909));

const display = { pid: 10, type: 'G' as const, name: 'display-server-stand-in', usedMiB: 410 };
const vllm = { pid: 42, type: 'C' as const, name: '/usr/bin/python3', usedMiB: 17_900 };

function outsideProcesses(xml: string): string[] {
  return xml.replace(/<processes>[\s\S]*<\/processes>/, '<processes/>').split('\n');
}

describe('renderXml', () => {
  it('keeps every line of the real capture except timestamp, display_active, used/free and the processes', () => {
    const out = renderXml(TEMPLATE, { now: NOW, displayActive: true, processes: [display] });
    const changed = /<(timestamp|display_active|used|free)>/;
    const before = outsideProcesses(TEMPLATE);
    const after = outsideProcesses(out);
    expect(after).toHaveLength(before.length);
    const differing = after.filter((line, i) => line !== before[i]);
    expect(differing.every((line) => changed.test(line))).toBe(true);
    expect(out).toContain(`<timestamp>${xmlTimestamp(NOW)}</timestamp>`);
  });

  it('lists no process_info at all when nothing runs, as an idle capture does', () => {
    const out = renderXml(TEMPLATE, { now: NOW, displayActive: false, processes: [] });
    expect(out).not.toContain('<process_info>');
    expect(out).toMatch(/\t\t<processes>\n\t\t<\/processes>/);
    expect(out).toContain('<display_active>Disabled</display_active>');
  });

  it('lists each process with the shape of the capture and accounts its memory', () => {
    const out = renderXml(TEMPLATE, { now: NOW, displayActive: true, processes: [display, vllm] });
    expect(out).toContain('\t\t\t<process_info>\n\t\t\t\t<gpu_instance_id>N/A</gpu_instance_id>\n\t\t\t\t<compute_instance_id>N/A</compute_instance_id>\n\t\t\t\t<pid>42</pid>\n\t\t\t\t<type>C</type>');
    const gpu = readTemplate(TEMPLATE);
    const used = 410 + 17_900 + 2;
    expect(out).toContain(`<used>${used} MiB</used>`);
    expect(out).toContain(`<free>${gpu.totalMiB - gpu.reservedMiB - used} MiB</free>`);
  });

  test.prop([fc.array(fc.record({ pid: fc.integer({ min: 1, max: 4_194_304 }), type: fc.constantFrom('G' as const, 'C' as const, 'C+G' as const), name: fc.string({ maxLength: 40 }), usedMiB: fc.integer({ min: 0, max: 20_000 }) }), { maxLength: 6 })])(
    'escapes any process name and keeps one process_info per process',
    (processes) => {
      const out = renderXml(TEMPLATE, { now: NOW, displayActive: true, processes });
      expect(out.match(/<process_info>/g)?.length ?? 0).toBe(processes.length);
      const names = [...out.matchAll(/<process_name>([^<]*)<\/process_name>/g)].map((m) => (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      expect(names).toEqual(processes.map((p) => p.name));
    },
  );
});

describe('CSV queries', () => {
  const state: FakeGpuState = { now: NOW, displayActive: true, processes: [display, vllm] };

  it('answers --query-gpu in nvidia-smi layout, with and without header and units', () => {
    const fields = ['index', 'name', 'memory.used', 'memory.total', 'display_active'];
    expect(renderQueryGpu(fields, { header: true, units: true }, TEMPLATE, state)).toEqual({
      ok: true,
      text: 'index, name, memory.used [MiB], memory.total [MiB], display_active\n0, NVIDIA RTX 4000 SFF Ada Generation, 18312 MiB, 20475 MiB, Enabled\n',
    });
    expect(renderQueryGpu(fields, { header: false, units: false }, TEMPLATE, state)).toEqual({ ok: true, text: '0, NVIDIA RTX 4000 SFF Ada Generation, 18312, 20475, Enabled\n' });
  });

  it('lists compute apps only (a G-only display process is not a compute app), header alone when there are none', () => {
    const fields = ['pid', 'process_name', 'used_memory'];
    expect(renderComputeApps(fields, { header: true, units: true }, TEMPLATE, state)).toEqual({ ok: true, text: 'pid, process_name, used_gpu_memory [MiB]\n42, /usr/bin/python3, 17900 MiB\n' });
    expect(renderComputeApps(fields, { header: true, units: true }, TEMPLATE, { ...state, processes: [display] })).toEqual({ ok: true, text: 'pid, process_name, used_gpu_memory [MiB]\n' });
  });

  it('refuses a field it does not know, as nvidia-smi does', () => {
    expect(renderQueryGpu(['index', 'frobnication'], { header: true, units: true }, TEMPLATE, state)).toEqual({ ok: false, message: 'Field "frobnication" is not a valid field to query.\n\n' });
  });

  it('reads csv formats and refuses others', () => {
    expect(parseFormat('csv,noheader,nounits')).toEqual({ header: false, units: false });
    expect(parseFormat('csv')).toEqual({ header: true, units: true });
    expect(parseFormat('json')).toBeNull();
  });

  it('stamps times as the real outputs do', () => {
    expect(xmlTimestamp(NOW)).toBe('Thu Aug  6 01:03:40 2026');
    expect(csvTimestamp(NOW)).toBe('2026/08/06 01:03:40.909');
  });
});
