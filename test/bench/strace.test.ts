import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countByGroup, openedModuleFiles, OUTSIDE_REPO } from '../../bench/lib/strace-files.ts';
import { straceCalls } from '../../bench/lib/strace-lines.ts';
import { countByTool, directChildren, parseStrace, readStringArray } from '../../bench/lib/strace-processes.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const REPO_MARKERS = ['/run/dubnium-repo/node_modules/.cache/dubnium-bench/dist/', '/run/dubnium-repo/'];

describe('strace of one observation (real capture: mode current --json --refresh in the sandbox)', () => {
  const text = fixture('strace-process.current-refresh.txt');
  const tree = parseStrace(text);
  const tools = directChildren(tree);

  it('roots the tree at the traced node and names each program the CLI itself started', () => {
    expect(tree.processes.get(tree.root)?.execs[0]?.argv.slice(-3)).toEqual(['current', '--json', '--refresh']);
    expect(countByTool(tools)).toEqual({ loginctl: 2, 'nvidia-smi': 1, pactl: 1, systemctl: 1 });
  });

  it('keeps the full argv, so the floor can replay exactly these calls', () => {
    const systemctl = tools.find((t) => t.tool === 'systemctl');
    expect(systemctl?.path).toBe('/usr/bin/systemctl');
    expect(systemctl?.argv[1]).toBe('show');
    expect(systemctl?.argv).toContain('--');
    expect(systemctl?.argv).toContain('desktop.target');
  });

  it("counts what the fake nvidia-smi starts as its own descendants, not as the CLI's processes", () => {
    const gpu = tools.find((t) => t.tool === 'nvidia-smi');
    expect(gpu?.descendants).toBeGreaterThan(0);
    const all = [...tree.processes.values()].filter((p) => p.execs.length > 0 && p.pid !== tree.root);
    expect(all.length).toBe(tools.length + tools.reduce((n, t) => n + t.descendants, 0));
  });

  it('joins calls that strace split into <unfinished ...> and <... resumed> lines', () => {
    expect(text).toMatch(/<unfinished \.\.\.>/);
    const calls = straceCalls(text);
    expect(calls.some((c) => /unfinished|resumed>/.test(c.call))).toBe(false);
    expect(straceCalls('7 clone(flags=SIGCHLD <unfinished ...>\n8 exit(0) = ?\n7 <... clone resumed>) = 9\n')).toEqual([
      { tid: 8, call: 'exit(0) = ?' },
      { tid: 7, call: 'clone(flags=SIGCHLD) = 9' },
    ]);
  });
});

describe('strace of a no-op controller run (real capture: mode run desktop)', () => {
  it('shows one observation plus the lock: one systemctl, and flock around the run', () => {
    const counts = countByTool(directChildren(parseStrace(fixture('strace-process.run-desktop-noop.txt'))));
    expect(counts.systemctl).toBe(1);
    expect(counts.flock).toBeGreaterThanOrEqual(1);
  });
});

describe('module files a verb opens (real capture: mode status)', () => {
  const text = fixture('strace-openat.status.txt');
  const tree = parseStrace(text);
  const own = openedModuleFiles(text, (tid) => (tree.owner.get(tid) ?? tid) === tree.root);

  it('lists each file once, the entry the first script', () => {
    expect(own.find((f) => f.endsWith('.js'))).toMatch(/\/cli\/mode\.js$/);
    expect(new Set(own).size).toBe(own.length);
  });

  it('groups files by repo folder and npm package; records and config are not code', () => {
    const groups = countByGroup(own, REPO_MARKERS);
    expect(groups.cli).toBeGreaterThan(1);
    expect(groups[OUTSIDE_REPO]).toBeGreaterThan(0);
    expect(Object.values(groups).reduce((a, b) => a + b, 0)).toBe(own.length);
    expect(countByGroup(['/r/node_modules/@scope/pkg/a.js', '/r/node_modules/zod/v4/x.js', '/r/node_modules/zod/y.js'], ['/r/'])).toEqual({ 'npm:zod': 2, 'npm:@scope/pkg': 1 });
  });
});

describe('argv arrays as strace prints them', () => {
  it('reads quoted strings with escapes and stops at the closing bracket', () => {
    expect(readStringArray(String.raw`"a b", "say \"hi\"", "tab\there", "\303\251"], 0x7ff /* 3 vars */`)).toEqual(['a b', 'say "hi"', 'tab\there', '\u00c3\u00a9']);
    expect(readStringArray(String.raw`"long"..., "x"]`)).toEqual(['long', 'x']);
  });
});
