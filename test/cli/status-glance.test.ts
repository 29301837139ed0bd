// The facts table of `mode status`: one row per fact, each source named once,
// on evidence shaped as a real controller run records it (the demo's desktop).
import { describe, expect, it } from 'vitest';
import { paint } from '../../cli/color.ts';
import { evidenceRows, factValue, GLANCE_ROWS, glanceTable, reasonRows, shortSource } from '../../cli/status/glance.ts';
import type { Evidence, Reason } from '../../schemas/records.ts';

const p = paint(false);
const SHOW = [
  '/usr/bin/systemctl',
  'show',
  '--property=Id,Names,LoadState,ActiveState,SubState,Result,CPUWeight,IOWeight,AllowIsolate',
  '--',
  'desktop.target',
  'compute.target',
  'display-manager.service',
  'vllm.service',
  'vllm-ready.service',
];
const systemctl = { kind: 'command', argv: SHOW, exitCode: 0 } as const;
const unit = (name: string, state: string, sub: string): Evidence => ({
  fact: `units.${name}.activeState`,
  source: systemctl,
  lines: [`${name}: LoadState=loaded ActiveState=${state} SubState=${sub}`],
});
const desktop: Evidence[] = [
  unit('desktop.target', 'active', 'active'),
  unit('display-manager.service', 'active', 'running'),
  unit('compute.target', 'inactive', 'dead'),
  { fact: 'gpuHolders', source: { kind: 'file', path: '/proc/*/fd' }, lines: ['kwin_wayland (pid 4301) holds /dev/nvidia0'] },
  { fact: 'sessions', source: { kind: 'command', argv: ['/run/current-system/sw/bin/loginctl', 'list-sessions', '--json=short'], exitCode: 0 }, lines: ['session 2 of alice: active'] },
];

describe('the status facts table', () => {
  it('names each source once and cites it by number', () => {
    const table = glanceTable(evidenceRows(desktop), '  ', '', p);
    expect(table.sources).toEqual(['[1] systemctl show', '[2] /proc/*/fd', '[3] loginctl list-sessions']);
    expect(table.rows).toHaveLength(desktop.length);
    expect(table.rows.filter((row) => row.endsWith('[1]'))).toHaveLength(3);
    expect(table.rows.join('\n')).not.toContain('--property=');
  });

  it('drops a line prefix that only restates the fact and aligns the values', () => {
    expect(factValue(desktop[0]!)).toBe('LoadState=loaded ActiveState=active SubState=active');
    const [first, second] = glanceTable(evidenceRows(desktop), '', '', p).rows;
    expect(first!.indexOf('LoadState')).toBe(second!.indexOf('LoadState'));
  });

  it('keeps a failed command visible by its exit status', () => {
    expect(shortSource({ kind: 'command', argv: ['/usr/bin/nvidia-smi', '--query-gpu=index,uuid', '--format=csv'], exitCode: 9 })).toBe('nvidia-smi --query-gpu=index,uuid (exit 9)');
    expect(shortSource({ kind: 'syscall', call: 'statfs', path: '/var/lib/models' })).toBe('statfs /var/lib/models');
  });

  it('shows at most a screen of rows and says how many more --verbose has', () => {
    const many = Array.from({ length: GLANCE_ROWS + 5 }, (_, i) => unit(`u${i}.service`, 'active', 'running'));
    const { rows } = glanceTable(evidenceRows(many), '', '', p);
    expect(rows).toHaveLength(GLANCE_ROWS + 1);
    expect(rows.at(-1)).toBe('… 5 more (mode status --verbose)');
  });

  it('lists conflicts and missing facts with their code and the source of their evidence', () => {
    const conflict: Reason = { code: 'vllm-inactive', message: 'vllm.service is not active', path: ['units'], evidence: [unit('vllm.service', 'inactive', 'dead')] };
    const missing: Reason = { code: 'tool-missing', message: 'nvidia-smi is not installed', path: ['gpus'], evidence: [{ fact: 'gpus', source: null, lines: [] }] };
    const table = glanceTable([...reasonRows([conflict, conflict], 'conflict'), ...reasonRows([missing], 'missing')], '', '', p);
    expect(table.rows).toEqual(['conflict vllm-inactive  vllm.service is not active  [1]', 'missing tool-missing    nvidia-smi is not installed']);
    expect(table.sources).toEqual(['[1] systemctl show']);
  });
});
