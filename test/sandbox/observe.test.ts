// The project's observers, run outside against the sandbox through its
// nsenter wrappers and its /proc root, see each mode the sandbox is put in,
// and the compute guards see what a test sets in the world (a RUNNING sound
// card, too little memory). The controller inside sees the same.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify, decide } from '../../predicates/index.ts';
import type { Facts } from '../../schemas/facts.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import { outsideRoots } from './outside-roots.ts';

describeWhen(sandboxPrerequisites(), 'observing the sandbox with the project observers', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await bootSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const observe = (): Promise<Facts> =>
    // the sandbox's cgroup tree and /run: user managers and their published audio states
    observeFacts(sandbox.config, { roots: outsideRoots(sandbox), env: { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` } });
  const mode = async () => {
    const classification = classify(await observe(), sandbox.config);
    return classification.mode === 'degraded' || classification.mode === 'unknown' ? classification : classification.mode;
  };

  it('reads units, the logind session, the GPU, ALSA, memory and the published audio streams as known facts', async () => {
    const facts = await observe();
    expect(facts.audioStreams).toMatchObject({ status: 'known', value: [], source: { kind: 'file', path: `/proc/${sandbox.systemdPid}/root/run/dubnium-audio/4242/state.json` } });
    for (const name of ['units', 'sessions', 'gpus', 'alsa', 'memory', 'audioStreams'] as const) expect({ name, status: facts[name].status, why: facts[name].status === 'unknown' ? facts[name].reason : '' }).toEqual({ name, status: 'known', why: '' });
  });

  it('classifies the booted sandbox as desktop', async () => {
    expect(await mode()).toBe('desktop');
  });

  it('classifies studio-local once the overlay runs with the studio weights, and desktop again after', async () => {
    const { units, slices } = sandbox.config;
    const weights = async (set: typeof slices.baseline) => {
      for (const role of ['interactive', 'ai', 'platform'] as const) {
        await sandbox.systemctl(['set-property', '--runtime', '--', units.slices[role], `CPUWeight=${set[role].cpuWeight ?? ''}`, `IOWeight=${set[role].ioWeight ?? ''}`]);
      }
    };
    await weights(slices.studio);
    await sandbox.systemctl(['start', '--', ...units.studioOverlay]);
    expect(await mode()).toBe('studio-local');
    await sandbox.systemctl(['stop', '--', ...units.studioOverlay]);
    await weights(slices.baseline);
    expect(await mode()).toBe('desktop');
  });

  it('blocks compute on a RUNNING sound card and on too little memory, naming each guard', async () => {
    sandbox.setAlsa([{ card: 0, device: 0, state: 'RUNNING', ownerPid: 4242 }]);
    sandbox.setMemory({ availableKiB: 1_024 });
    const { from, guards: report } = decide('compute', await observe(), sandbox.config);
    expect(from.mode).toBe('desktop');
    expect(report.verdict).toBe('hard-block');
    expect(report.verdicts.filter((v) => !v.passed).map((v) => v.code)).toEqual(expect.arrayContaining(['audio-active', 'memory-headroom']));
    sandbox.setAlsa([{ card: 0, device: 0, state: 'closed' }]);
    sandbox.setMemory({});
  });

  it('classifies compute once the session is gone and vLLM is ready', async () => {
    const { units } = sandbox.config;
    await sandbox.systemctl(['isolate', units.computeTarget]);
    await sandbox.systemctl(['start', units.vllm]);
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await sandbox.systemctl(['is-active', units.vllmReady])).stdout.trim() === 'active');
    // a bare isolate ends the session, not the compositor user unit: it holds the GPU (gpu-desktop-holder) until logind
    // stops the user manager, UserStopDelaySec (10 s) after the session closed
    await sandbox.waitUntil('the compositor has let go of the GPU', async () => (await mode()) === 'compute', 30_000);
    expect(await mode()).toBe('compute');
  });
});
