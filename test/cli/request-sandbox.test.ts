// `mode request` end to end, run from outside a sandboxed systemd 252 the way
// an operator runs it: the real CLI records the desired mode, starts
// mode-controller@<mode>.service with --no-block through the real systemctl
// (the sandbox's wrappers enter its namespaces), follows the run step by step
// and exits with the outcome. The controller inside is the real one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { bootControllerSandbox, cliEnvFor, type ControllerSandbox } from '../sandbox/e2e.ts';
import { expectModeHolds } from '../sandbox/mode-holds.ts';
import { describeWhen, sandboxPrerequisites } from '../sandbox/prerequisites.ts';
import { runCli, type CliResult } from './support/cli.ts';
import { schemaErrors } from './support/schema.ts';

describeWhen(sandboxPrerequisites(), 'mode request against a sandboxed systemd', () => {
  let sandbox: ControllerSandbox;
  let env: Record<string, string>;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
    env = cliEnvFor(sandbox);
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const mode = (args: string[]): Promise<CliResult> => runCli(args, { env, timeoutMs: 300_000 });

  it('switches desktop -> studio-local, shows the steps live and exits 0 with a valid JSON record', async () => {
    const result = await mode(['request', 'studio-local', '--json']);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    const output = JSON.parse(result.stdout) as { outcome: string; desired: { generation: number } | null; record: { runId: string; generation: number; steps: { stepId: string }[] } };
    expect(schemaErrors('cli-request', output)).toEqual([]);
    expect(output.outcome).toBe('succeeded');
    expect(output.record.generation).toBe(output.desired?.generation);
    await expectModeHolds(sandbox, 'studio-local', { generation: output.record.generation });
    // with --json the progress goes to stderr: one line per step, from the audit log as it grows
    for (const step of output.record.steps) expect(result.stderr).toContain(`apply ${step.stepId}: ok`);
    const status = await mode(['status', '--json']);
    expect(status.code).toBe(EXIT.ok);
    expect(JSON.parse(status.stdout)).toMatchObject({ desired: { mode: 'studio-local' }, observed: { mode: 'studio-local' }, pending: { pending: false } });
    // the observation status shows is the run's verification, from the last-observation.json the controller wrote
    const observation = JSON.parse(readFileSync(join(env.RUNTIME_DIRECTORY!, 'last-observation.json'), 'utf8')) as { facts: { observedAt: string } };
    expect((JSON.parse(status.stdout) as { observed: unknown }).observed).toMatchObject({ mode: 'studio-local', runId: output.record.runId, observedAt: observation.facts.observedAt });
  }, 300_000);

  it('comes back to desktop in text mode, naming the outcome and the generation', async () => {
    const result = await mode(['request', 'desktop']);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^requested desktop \(generation \d+\): started mode-controller@desktop\.service$/m);
    expect(result.stdout).toMatch(/^succeeded: studio-local -> desktop in /m);
    await expectModeHolds(sandbox, 'desktop');
  }, 300_000);

  it('exits blocked (3) with the first failed predicate when a sound card is playing', async () => {
    sandbox.setAlsa([{ card: 0, device: 0, state: 'RUNNING', ownerPid: 3141 }]);
    try {
      const guards = await mode(['guards', 'compute']);
      const result = await mode(['request', 'compute']);
      expect(result.code, result.stdout + result.stderr).toBe(EXIT.blocked);
      expect(result.stdout).toMatch(/^blocked: desktop -> compute/m);
      expect(result.stdout).toContain('first failed: audio-active');
      expect(guards.code).toBe(EXIT.blocked);
    } finally {
      sandbox.setAlsa([{ card: 0, device: 0, state: 'closed' }]);
    }
  }, 300_000);

  it('returns at once with --no-wait; status is in sync once the run has reconciled', async () => {
    const result = await mode(['request', 'studio-local', '--no-wait', '--json']);
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ waited: false, outcome: null });
    await sandbox.waitUntil('the run to finish', async () => (await mode(['status', '--json'])).code === EXIT.ok, 120_000);
    expect((await mode(['history', '-n', '3', '--json'])).stdout).toContain('"outcome": "succeeded"');
    expect((await mode(['request', 'desktop'])).code).toBe(EXIT.ok);
  }, 300_000);
});
