import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateGoals } from '../../bench/lib/goals.ts';
import type { BenchResults } from '../../bench/lib/results.ts';
import { summarize } from '../../bench/lib/stats.ts';
import { renderTable, spliceTable, TABLE_BEGIN, TABLE_END } from '../../bench/lib/table.ts';

// A results object built here (no measurement): the table must render what it is given.
function results(statusMs: number, studioRatio: number, rssKiB: number, systemctl: number): BenchResults {
  const node = summarize([20, 22, 30]);
  const status = summarize([statusMs, statusMs + 2, statusMs + 9]);
  const base: Omit<BenchResults, 'goals'> = {
    schemaVersion: 1,
    date: '2026-11-26T00:00:00.000Z',
    durationS: 1,
    machine: { cpuModel: 'Test CPU', cores: 2, kernel: '6.1', memoryMiB: 1024, node: 'v22.23.3', nodePath: '/x/node' },
    loadAverage: { start: [1, 2, 3], end: [4, 5, 6], phases: {} },
    settings: {},
    forms: [],
    tscBuildGaps: [],
    coldStart: {
      rounds: 3,
      nodeBare: node,
      observeFloor: summarize([40, 44, 50]),
      observeFloorArgv: [],
      cases: [
        { id: 's', verb: 'status', form: 'shipped', compileCache: false, ms: status, ratioToNode: status.median / node.median, pairedRatioToNode: summarize([1, 2, 3]), exits: [0] },
        { id: 'c', verb: 'current --json --refresh', form: 'tsc', compileCache: true, ms: summarize([88]), ratioToNode: 4, pairedRatioToNode: summarize([4]), exits: [0] },
      ],
    },
    spawns: { observation: { command: 'mode current', tools: [], counts: { loginctl: 2, systemctl } }, noopRun: { command: 'mode run', tools: [], counts: {} } },
    moduleLoads: {},
    studio: { rounds: 1, program: 'p', controller: summarize([studioRatio * 100]), floor: summarize([100]), ratio: studioRatio, pairedRatio: summarize([studioRatio]), floorScript: '', runs: [] },
    compute: { rounds: 0, program: 'p', roundTrip: summarize([1]), runs: [] },
    rss: { runs: [{ unit: 'u', program: 'p', maxRssKiB: rssKiB, timeMaxRssKiB: null }], maxKiB: rssKiB },
    property: { scenariosPerRound: 10, controllerRuns: [30], seconds: [1], runsPerSecond: summarize([30]), scenariosPerSecond: summarize([10]) },
    profiles: {},
  };
  return { ...base, goals: evaluateGoals(base) };
}

const row = (table: string, start: string) => table.split('\n').find((l) => l.startsWith(start)) ?? '';

describe('the README table', () => {
  it('names the machine, Node and the date, and marks each goal met or missed from the numbers', () => {
    const table = renderTable(results(30, 2, 70_000, 1));
    expect(table).toContain('Test CPU (2 cores');
    expect(table).toContain('Node v22.23.3');
    expect(table).toContain('2026-11-26');
    expect(row(table, '| `mode status`, shipped, root')).toMatch(/\| 32 ms \| 30 ms – 39 ms \| 1\.45× .*\| met \|$/);
    expect(row(table, '| studio round trip, `mode request`')).toMatch(/2\.00× .*\*\*missed\*\* \|$/);
    expect(row(table, '| peak RSS')).toMatch(/71\.7 MB .*\| met \|$/);
    expect(row(table, '| processes per observation')).toMatch(/loginctl ×2, systemctl ×1 .*\| met \|$/);
    expect(row(table, '| `mode current --json --refresh`, tsc, user')).toContain('2.00× the observation floor');
  });

  fcTest.prop([fc.double({ min: 5, max: 200, noNaN: true }), fc.double({ min: 0.5, max: 30, noNaN: true }), fc.integer({ min: 1000, max: 200_000 }), fc.integer({ min: 0, max: 3 })])(
    'a goal is marked met exactly when the evaluated goal is met',
    (statusMs, studioRatio, rssKiB, systemctl) => {
      const r = results(statusMs, studioRatio, rssKiB, systemctl);
      const table = renderTable(r);
      const marked = (start: string) => row(table, start).endsWith('| met |');
      const goal = (prefix: string) => r.goals.find((g) => g.name.startsWith(prefix))?.met;
      expect(marked('| `mode status`, shipped, root')).toBe(goal('mode status, cold, shipped, as root'));
      expect(marked('| studio round trip, `mode request`')).toBe(goal('studio round trip'));
      expect(marked('| peak RSS')).toBe(goal('peak RSS'));
      expect(marked('| processes per observation')).toBe(goal('systemctl processes'));
    },
  );
});

describe('splicing the table into bench/README.md', () => {
  it('replaces only what lies between the markers', () => {
    const readme = `# Bench\n\nintro\n\n${TABLE_BEGIN}\nold table\n${TABLE_END}\n\nmore text\n`;
    expect(spliceTable(readme, 'new table')).toBe(`# Bench\n\nintro\n\n${TABLE_BEGIN}\nnew table\n${TABLE_END}\n\nmore text\n`);
  });

  it('appends the table with its markers when the README has none', () => {
    expect(spliceTable('# Bench\n', 't')).toBe(`# Bench\n\n${TABLE_BEGIN}\nt\n${TABLE_END}\n`);
  });

  fcTest.prop([fc.string(), fc.string(), fc.string()])('splicing twice is splicing once', (before, table, after) => {
    fc.pre(![before, table, after].some((s) => s.includes(TABLE_BEGIN) || s.includes(TABLE_END)));
    const once = spliceTable(`${before}${TABLE_BEGIN}x${TABLE_END}${after}`, table);
    expect(spliceTable(once, table)).toBe(once);
    expect(once.startsWith(before) && once.endsWith(after)).toBe(true);
  });

  it('refuses a README with only one marker, saying what to do', () => {
    expect(() => spliceTable(`${TABLE_BEGIN}\n`, 't')).toThrow(/only one of the results markers; restore both/);
  });
});
