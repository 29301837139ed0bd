// A proven mode holds (issue 18): the sandbox boots like the workstation
// (mode-boot.service enabled, running the real `mode boot`), each switch is
// watched for 20 s with no request, and what `nixos-rebuild switch` does
// (daemon-reload, `systemctl start` of every active target, a restart of a
// changed unit) changes neither the mode nor the desired generation nor
// vLLM's process. Each half of the fix is shown on its own: starting every
// active target does not run mode-boot.service again (RemainAfterExit=yes),
// and a forced second run of it records and starts nothing (`mode boot` once
// per boot id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeName } from '../../schemas/names.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, request, type ControllerSandbox } from './e2e.ts';
import { expectModeHolds, holdSnapshot } from './mode-holds.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

const HOLD_MS = 20_000;

async function switchTo(sandbox: ControllerSandbox, mode: ModeName, holdMs?: number): Promise<void> {
  const { record } = await request(sandbox, mode, 'e2e-test', holdMs);
  expect(record.outcome, JSON.stringify(record.firstFailedPredicate)).toBe('succeeded');
}
const SWITCH_TIMEOUT_MS = 240_000;

async function bootRunsInJournal(sandbox: ControllerSandbox): Promise<string[]> {
  const journal = await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', 'mode-boot.service']);
  return journal.stdout.split('\n').filter((line) => line.startsWith('boot default'));
}

async function activeTargets(sandbox: ControllerSandbox): Promise<string[]> {
  const listed = await sandbox.systemctl(['list-units', '--type=target', '--state=active', '--no-legend', '--plain']);
  if (listed.exitCode !== 0) throw new Error(describeResult(listed));
  return listed.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((unit) => unit.endsWith('.target'));
}

/** What switch-to-configuration does to a running system, less the unit files it swaps. */
async function rebuildSwitch(sandbox: ControllerSandbox, mode: ModeName): Promise<void> {
  const vllm = sandbox.config.units.vllm;
  const pidOf = async () => (await sandbox.show([vllm], ['MainPID'])).get(vllm)?.MainPID;
  const vllmPid = await pidOf();
  const before = await holdSnapshot(sandbox);
  const bootRuns = (await bootRunsInJournal(sandbox)).length;
  for (const argv of [['daemon-reload'], ['start', '--', ...(await activeTargets(sandbox))]]) {
    const result = await sandbox.systemctl(argv, 60_000);
    expect(result.exitCode, describeResult(result)).toBe(0);
  }
  // RemainAfterExit=yes alone: every active target started again, and mode-boot.service did not run
  await expectModeHolds(sandbox, mode, { settleMs: 5_000, before });
  expect(await bootRunsInJournal(sandbox)).toHaveLength(bootRuns);

  // `mode boot` alone: a changed unit restarted runs it again; it records nothing and starts no controller
  const restarted = await sandbox.systemctl(['restart', 'mode-boot.service'], 60_000);
  expect(restarted.exitCode, describeResult(restarted)).toBe(0);
  const runs = await bootRunsInJournal(sandbox);
  expect(runs).toHaveLength(bootRuns + 1);
  expect(runs.at(-1)).toMatch(/^boot default desktop not applied again: it was applied in this boot already, as generation 1 \(desktop\); nothing recorded, nothing started$/);
  await expectModeHolds(sandbox, mode, { settleMs: 5_000, before, bootAsOf: await holdSnapshot(sandbox) });
  expect(await pidOf()).toBe(vllmPid);
}

describeWhen(sandboxPrerequisites(), 'a proven mode holds, booted as the workstation boots (mode-boot.service enabled)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('boots once: mode-boot.service stays active after it ran, and the boot run proved the boot default', async () => {
    const boot = (await sandbox.show(['mode-boot.service'], ['ActiveState', 'SubState', 'Result'])).get('mode-boot.service');
    expect(boot).toMatchObject({ ActiveState: 'active', SubState: 'exited', Result: 'success' });
    expect(await sandbox.store.readDesired()).toMatchObject({ mode: 'desktop', generation: 1, via: 'boot', requestedBy: 'boot' });
    expect(await bootRunsInJournal(sandbox)).toEqual(['boot default desktop (generation 1): started mode-controller@desktop.service']);
  });

  it('desktop → studio-local holds 20 s, and through a rebuild', async () => {
    await switchTo(sandbox, 'studio-local', HOLD_MS);
    await rebuildSwitch(sandbox, 'studio-local');
  }, SWITCH_TIMEOUT_MS);

  it('studio-local → desktop holds', async () => {
    await switchTo(sandbox, 'desktop');
  }, SWITCH_TIMEOUT_MS);

  it('desktop → compute holds 20 s, and through a rebuild with vLLM the same process', async () => {
    await switchTo(sandbox, 'compute', HOLD_MS);
    await rebuildSwitch(sandbox, 'compute');
  }, SWITCH_TIMEOUT_MS);

  it('compute → desktop holds 20 s', async () => {
    await switchTo(sandbox, 'desktop', HOLD_MS);
  }, SWITCH_TIMEOUT_MS);

  describe('the records', () => {
    it('hold one boot request and one request per switch, in order', async () => {
      const events = (await sandbox.store.readAudit()).events.filter((e) => e.event === 'desired');
      expect(events.map((e) => [e.generation, e.target, e.detail?.via])).toEqual([
        [1, 'desktop', 'boot'],
        [2, 'studio-local', 'request'],
        [3, 'desktop', 'request'],
        [4, 'compute', 'request'],
        [5, 'desktop', 'request'],
      ]);
    });
  });
});
