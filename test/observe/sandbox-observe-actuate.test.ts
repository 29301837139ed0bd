// Collectors and actuators against a real systemd 252 and logind in the
// project's bubblewrap sandbox (test/sandbox): the wrappers in outsideBin,
// first on PATH, enter the sandbox, so the code under test runs unchanged.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { performAction } from '../../effects/actuate/perform-action.ts';
import { collectUnits } from '../../effects/observe/collect-units.ts';
import { configuredUnits } from '../../effects/observe/configured-units.ts';
import { observeContext, observeFacts } from '../../effects/observe/observe-facts.ts';
import type { UnitState } from '../../schemas/facts.ts';
import { describeWhen, sandboxPrerequisites } from '../sandbox/prerequisites.ts';
import { bootSandbox, type Sandbox } from '../sandbox/sandbox.ts';
import { outsideRoots } from '../sandbox/outside-roots.ts';

describeWhen(sandboxPrerequisites(), 'observers and actuators against the sandboxed systemd 252', () => {
  let sandbox: Sandbox;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sandbox = await bootSandbox();
    env = { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` };
  });
  afterAll(async () => {
    const report = await sandbox?.stop();
    expect(report?.problems).toEqual([]);
  });

  const units = async (): Promise<Map<string, UnitState>> => {
    const fact = await collectUnits(observeContext(sandbox.config, { env }));
    if (fact.status !== 'known') throw new Error(`units unknown: ${fact.reason}`);
    return new Map(fact.value.map((u) => [u.id, u]));
  };
  const act = (action: Parameters<typeof performAction>[0]) => performAction(action, { config: sandbox.config, env });

  it('observes desktop mode: one systemctl show for every configured unit, the x11 session, GPUs, memory', async () => {
    const facts = await observeFacts(sandbox.config, { env, roots: outsideRoots(sandbox) });
    const byId = facts.units.status === 'known' ? new Map(facts.units.value.map((u) => [u.id, u])) : new Map<string, UnitState>();
    expect(byId.get(sandbox.config.units.desktopTarget)).toMatchObject({ loadState: 'loaded', activeState: 'active' });
    expect(byId.get(sandbox.config.units.vllm)).toMatchObject({ loadState: 'loaded', activeState: 'inactive' });
    expect([...byId.keys()]).toEqual(configuredUnits(sandbox.config));
    expect(facts.sessions.status === 'known' && facts.sessions.value).toEqual([expect.objectContaining({ seat: 'seat0', type: 'x11', class: 'user', active: true, state: 'active', remote: false })]);
    expect(facts.gpus.status).toBe('known');
    expect(facts.memory.status).toBe('known');
  });

  it('sets runtime slice weights and restores "not set" with null', async () => {
    const slice = sandbox.config.units.slices.interactive;
    expect(await act({ kind: 'set-property', unit: slice, weights: { cpuWeight: 1000, ioWeight: 800 } })).toMatchObject({ ok: true });
    expect((await units()).get(slice)).toMatchObject({ cpuWeight: 1000, ioWeight: 800 });
    expect(await act({ kind: 'set-property', unit: slice, weights: { cpuWeight: null, ioWeight: null } })).toMatchObject({ ok: true });
    expect((await units()).get(slice)).toMatchObject({ cpuWeight: null, ioWeight: null });
  });

  it('starts and stops an overlay service, and stopping it again is still done', async () => {
    const [overlay] = sandbox.config.units.studioOverlay;
    expect(await act({ kind: 'start', unit: overlay! })).toMatchObject({ ok: true });
    expect((await units()).get(overlay!)).toMatchObject({ activeState: 'active' });
    expect(await act({ kind: 'stop', unit: overlay! })).toMatchObject({ ok: true });
    expect((await units()).get(overlay!)).toMatchObject({ activeState: 'inactive' });
    expect(await act({ kind: 'stop', unit: overlay! })).toMatchObject({ ok: true });
  });

  it('reports a unit systemd does not know as a failed start, and a session that is gone as done', async () => {
    const start = await act({ kind: 'start', unit: 'no-such-dubnium-unit.service' });
    expect(start.ok).toBe(false);
    expect(start.message).toMatch(/exited with status 5: Failed to start no-such-dubnium-unit\.service: Unit no-such-dubnium-unit\.service not found\./);
    expect(await act({ kind: 'terminate-session', sessionId: '999999', user: null, seat: null })).toMatchObject({ ok: true, message: 'terminate session 999999: the session is already gone' });
  });

  it('isolates the compute target (last: it changes the mode for good)', async () => {
    const { computeTarget, desktopTarget } = sandbox.config.units;
    expect(await act({ kind: 'isolate', unit: computeTarget })).toMatchObject({ ok: true, message: `isolate ${computeTarget}: done` });
    const after = await units();
    expect(after.get(computeTarget)).toMatchObject({ activeState: 'active' });
    expect(after.get(desktopTarget)).toMatchObject({ activeState: 'inactive' });
  });
});
