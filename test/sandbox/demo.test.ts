// The main-job demo: it walks the four switches in a real sandbox and exits
// 0 only when every step is proven; without root or bubblewrap it says so
// plainly and exits 2.
import { expect, it } from 'vitest';
import { describeResult, runCommand } from './command.ts';
import { REPO_ROOT } from './layout.ts';
import { describeWhen, findOnPath, sandboxPrerequisites } from './prerequisites.ts';

const NODE = `${REPO_ROOT}/node_modules/.bin/node`;
const DEMO = `${REPO_ROOT}/test/sandbox/demo.ts`;

describeWhen(process.getuid?.() === 0 && findOnPath('setpriv') ? [] : ['needs root and setpriv to run the demo as another user'], 'demo without what it needs', () => {
  it('as an ordinary user: says that it needs root, exits 2, boots nothing', async () => {
    const result = await runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', NODE, DEMO], { timeoutMs: 60_000 });
    expect(result.exitCode, describeResult(result)).toBe(2);
    expect(result.stdout).toMatch(/cannot run here:\n {2}- not running as root/);
  });

  it('without bubblewrap on PATH: names bwrap and how to install it, exits 2', async () => {
    const result = await runCommand(NODE, [DEMO], { timeoutMs: 60_000, env: { PATH: '/nonexistent' } });
    expect(result.exitCode, describeResult(result)).toBe(2);
    expect(result.stdout).toMatch(/bwrap not found on PATH: apt-get install bubblewrap/);
  });
});

describeWhen(sandboxPrerequisites(), 'demo', () => {
  it('walks desktop → studio-local → desktop → compute → desktop, every request proven, and prints mode status', async () => {
    const result = await runCommand(NODE, [DEMO], { timeoutMs: 10 * 60_000 });
    expect(result.exitCode, describeResult(result)).toBe(0);
    const runs = [...result.stdout.matchAll(/^(\S+) → (\S+): (\S+) in [\d.]+ m?s/gm)].map((m) => `${m[1]}→${m[2]}:${m[3]}`);
    expect(runs).toEqual(['desktop→desktop:noop', 'desktop→studio-local:succeeded', 'studio-local→desktop:succeeded', 'desktop→compute:succeeded', 'compute→desktop:succeeded']);
    expect(result.stdout.match(/^mode status:$/gm)).toHaveLength(6);
    expect(result.stdout).toContain('Every request was proven by a fresh observation');
  }, 10 * 60_000);
});
