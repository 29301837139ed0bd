// Every unit passes `systemd-analyze verify` with nothing on stderr: verify
// exits 0 on an unknown key or a voided value, so the warnings are the test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult, runCommand } from '../sandbox/command.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { unitFileNames, unitText } from './units-dir.ts';
import { createVerifyRoot, type VerifyRoot } from './verify-root.ts';

async function verify(root: VerifyRoot, unit: string) {
  return runCommand('systemd-analyze', ['verify', '--man=no', `--root=${root.root}`, join(root.unitDir, unit)], {
    timeoutMs: 20_000,
  });
}

describeWhen(toolPrerequisites(['systemd-analyze']), 'systemd-analyze verify of units/', () => {
  let root: VerifyRoot;
  beforeAll(() => {
    root = createVerifyRoot();
  });
  afterAll(() => root.remove());

  it('finds the units the project ships', () => {
    expect(unitFileNames()).toEqual(
      expect.arrayContaining([
        'mode-controller@.service',
        'desktop.target',
        'compute.target',
        'studio-local-policy.service',
        'audio-priority.service',
        'interactive.slice',
        'ai.slice',
        'platform.slice',
        'vllm.service',
        'vllm-ready.service',
        'mode-boot.service',
      ]),
    );
  });

  it.each(unitFileNames())('%s verifies without a single warning', async (unit) => {
    const result = await verify(root, unit);
    expect(result.stderr, describeResult(result)).toBe('');
    expect(result.exitCode, describeResult(result)).toBe(0);
  });

  it('would notice a trailing comment and an unknown key (the check can fail)', async () => {
    const broken = unitText('mode-controller@.service')
      .replace(/^KillMode=mixed$/m, 'KillMode=mixed # stop at a step boundary')
      .replace(/^UMask=0022$/m, 'UMask=0022\nFrobnicate=yes');
    writeFileSync(join(root.unitDir, 'broken@.service'), broken);
    const result = await verify(root, 'broken@.service');
    expect(result.stderr).toMatch(/kill mode/i);
    expect(result.stderr).toMatch(/Unknown key 'Frobnicate'/);
  });
});
