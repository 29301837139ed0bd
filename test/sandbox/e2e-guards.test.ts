// Plan phase 6, end to end: compute is blocked by a RUNNING sound card, by
// too little memory and by an incomplete model bundle, and a blocked run touches nothing: no step, the same
// display manager process and the same graphical session.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult } from './command.ts';
import { activeStates, bootControllerSandbox, graphicalSessions, request, type ControllerSandbox } from './e2e.ts';
import { bundleInside } from './model-seed.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: compute guards (phase 6)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  async function blockedAndUntouched(expectedGuard: string): Promise<void> {
    const { units } = sandbox.config;
    const dm = (await sandbox.show([units.displayManager], ['MainPID'])).get(units.displayManager)?.MainPID;
    const sessions = await graphicalSessions(sandbox);
    const { record, exitStatus } = await request(sandbox, 'compute');
    expect({ outcome: record.outcome, steps: record.steps.length, exitStatus: exitStatus !== 0 }).toEqual({ outcome: 'blocked', steps: 0, exitStatus: true });
    expect(record.guards?.verdict).toBe('hard-block');
    expect(record.guards?.verdicts.filter((v) => !v.passed).map((v) => v.code)).toContain(expectedGuard);
    expect(record.firstFailedPredicate?.code).toBe(expectedGuard);
    const guardsFile = JSON.parse(sandbox.readInside('/run/mode-controller/last-guards.json') ?? 'null') as { verdict?: string } | null;
    expect(guardsFile?.verdict).toBe('hard-block');
    expect((await sandbox.show([units.displayManager], ['MainPID'])).get(units.displayManager)?.MainPID).toBe(dm);
    expect(await graphicalSessions(sandbox)).toEqual(sessions);
    expect(await activeStates(sandbox, [units.desktopTarget, units.computeTarget, units.vllm])).toEqual({ [units.desktopTarget]: 'active', [units.computeTarget]: 'inactive', [units.vllm]: 'inactive' });
  }

  it('a RUNNING ALSA playback stream blocks compute, nothing touched', async () => {
    sandbox.setAlsa([{ card: 0, device: 0, state: 'RUNNING', ownerPid: 3141 }]);
    try {
      await blockedAndUntouched('audio-active');
    } finally {
      sandbox.setAlsa([{ card: 0, device: 0, state: 'closed' }]);
    }
  });

  it('too little available memory blocks compute, nothing touched', async () => {
    const headroomKiB = sandbox.config.thresholds.memoryHeadroomMiB * 1024;
    sandbox.setMemory({ availableKiB: headroomKiB - 1024 });
    try {
      await blockedAndUntouched('memory-headroom');
    } finally {
      sandbox.setMemory({});
    }
  });

  it('a model bundle with a shard missing blocks compute by model-missing, nothing touched', async () => {
    const folder = bundleInside(sandbox.config);
    if (folder === null) throw new Error('the sandbox config serves no model');
    const shard = `${folder}/model-00002-of-00002.safetensors`;
    const moved = await sandbox.exec(['mv', '--', shard, `${shard}.partial`]);
    expect(moved.exitCode, describeResult(moved)).toBe(0);
    try {
      await blockedAndUntouched('model-missing');
      const guards = JSON.parse(sandbox.readInside('/run/mode-controller/last-guards.json') ?? 'null') as { verdicts: { code: string; message: string; passed: boolean }[] };
      expect(guards.verdicts.find((v) => v.code === 'model-missing')?.message).toBe(`${shard}, named by model.safetensors.index.json, does not exist; see docs/runbooks/model-seeding.md`);
      // an incomplete bundle cannot be sized: the fit guard fails closed instead of guessing
      expect(guards.verdicts.find((v) => v.code === 'model-does-not-fit')).toMatchObject({ passed: false });
    } finally {
      const back = await sandbox.exec(['mv', '--', `${shard}.partial`, shard]);
      expect(back.exitCode, describeResult(back)).toBe(0);
    }
  });
});
