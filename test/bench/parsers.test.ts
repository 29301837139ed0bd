import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleOf, parseCpuProfile, summarizeProfiles } from '../../bench/lib/cpu-profile.ts';
import { parseRssJournal } from '../../bench/lib/rss-journal.ts';
import { parseTimingPlan } from '../../bench/lib/timing-plan.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('peak RSS reports in a controller unit journal (real capture)', () => {
  it("pairs the probe's own figure with GNU time's and names the program node ran", () => {
    const runs = parseRssJournal(fixture('journal.mode-controller-studio-local.txt'), 'mode-controller@studio-local.service');
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run?.maxRssKiB).toBeGreaterThan(10_000);
    expect(run?.timeMaxRssKiB).toBeGreaterThanOrEqual(run?.maxRssKiB ?? Infinity);
    expect(run?.program).toMatch(/\/cli\/mode\.js$/);
  });

  it('reads several runs in order and leaves time unset when its block is missing', () => {
    const text = ['dubnium-bench peak-rss maxrss-kib=100 vmhwm-kib=100', 'dubnium-bench peak-rss maxrss-kib=200 vmhwm-kib=200', '\tCommand being timed: "node --require /x/bench/probes/peak-rss.cjs /y/c.mjs compute"', '\tMaximum resident set size (kbytes): 250'].join('\n');
    expect(parseRssJournal(text, 'u')).toEqual([
      { unit: 'u', program: '', maxRssKiB: 100, timeMaxRssKiB: null },
      { unit: 'u', program: '/y/c.mjs', maxRssKiB: 200, timeMaxRssKiB: 250 },
    ]);
  });
});

describe('CPU profile summaries (real capture: node --cpu-prof of mode status)', () => {
  const profile = parseCpuProfile(fixture('status.cpuprofile'), 'status.cpuprofile');
  const summary = summarizeProfiles([profile], ['/run/dubnium-repo/node_modules/.cache/dubnium-bench/dist/', '/run/dubnium-repo/'], 1000);

  it('splits the same self time by function and by module, largest first', () => {
    const byFunction = summary.topFunctions.reduce((a, b) => a + b.ms, 0);
    const byModule = summary.topModules.reduce((a, b) => a + b.ms, 0);
    expect(byFunction).toBeCloseTo(byModule, 6);
    expect(byModule).toBeLessThanOrEqual(summary.profiledMsPerRun + 1);
    expect(summary.topModules.map((m) => m.ms)).toEqual([...summary.topModules.map((m) => m.ms)].sort((a, b) => b - a));
    expect(summary.topModules.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1, 6);
  });

  it("names node's internals, the repo's files and V8's pseudo-frames", () => {
    const names = summary.topModules.map((m) => m.name);
    expect(names.some((n) => n.startsWith('node:internal/'))).toBe(true);
    expect(names.some((n) => n.startsWith('cli/'))).toBe(true);
    expect(moduleOf({ functionName: '(garbage collector)', url: '', lineNumber: -1 }, [])).toBe('(garbage collector)');
    expect(moduleOf({ functionName: 'f', url: 'file:///r/node_modules/@x/y/dist/a.js', lineNumber: 1 }, ['/r/'])).toBe('npm:@x/y');
    expect(moduleOf({ functionName: 'f', url: 'file:///r/node_modules/.cache/dubnium-bench/tsc/cli/a.js', lineNumber: 1 }, ['/r/node_modules/.cache/dubnium-bench/tsc/', '/r/'])).toBe('cli/a.js');
  });

  it('adds several profiles up and averages their length', () => {
    const twice = summarizeProfiles([profile, profile], ['/run/dubnium-repo/'], 5);
    const once = summarizeProfiles([profile], ['/run/dubnium-repo/'], 5);
    expect(twice.topModules[0]?.ms).toBeCloseTo(2 * (once.topModules[0]?.ms ?? 0), 6);
    expect(twice.profiledMsPerRun).toBeCloseTo(once.profiledMsPerRun, 6);
  });

  it('refuses a file that is not a CPU profile, naming it', () => {
    expect(() => parseCpuProfile('{"nodes": 1}', 'x.cpuprofile')).toThrow(/x\.cpuprofile is not a V8 CPU profile/);
  });
});

describe('timing plans', () => {
  it('names the file and the problem', () => {
    expect(() => parseTimingPlan('{', '/run/p.json')).toThrow(/\/run\/p\.json is not JSON/);
    expect(() => parseTimingPlan('{"rounds": 1}', 'p.json')).toThrow(/p\.json lacks rounds, warmupRounds, timeoutMs or cases/);
    expect(() => parseTimingPlan('{"rounds":1,"warmupRounds":0,"timeoutMs":5,"cases":[{"id":"a","steps":[]}]}', 'p.json')).toThrow(/case "a" needs an id and at least one step/);
  });
});
