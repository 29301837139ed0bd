import { describe, expect, it } from 'vitest';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';

const active = (h: SimulatedHost) => [...h.world.units.values()].filter((u) => u.activeState === 'active').map((u) => u.id).sort();

describe('the simulated machine', () => {
  it('isolating the compute target stops the desktop and overlay but keeps slices and sshd', async () => {
    const h = new SimulatedHost({ config, mode: 'studio-local' });
    expect((await h.perform({ kind: 'isolate', unit: 'compute.target' })).ok).toBe(true);
    expect(active(h)).toEqual(['ai.slice', 'compute.target', 'platform.slice', 'sshd.service', 'user.slice']);
    expect(h.world.sessions).toEqual([]);
  });

  it('isolating the desktop target starts the display manager, which brings a greeter session', async () => {
    const h = new SimulatedHost({ config, mode: 'compute' });
    await h.perform({ kind: 'isolate', unit: 'desktop.target' });
    expect(active(h)).toEqual(['ai.slice', 'desktop.target', 'display-manager.service', 'platform.slice', 'sshd.service', 'user.slice']);
    expect(h.world.sessions.map((s) => [s.class, s.seat])).toEqual([['greeter', 'seat0']]);
  });

  it('keeps display memory on the GPU for a while after the display manager stops', async () => {
    const h = new SimulatedHost({ config, mode: 'desktop', gpuDrainMs: 2000 });
    await h.perform({ kind: 'stop', unit: 'display-manager.service' });
    const held = await h.observe();
    expect(held.gpus.status === 'known' && held.gpus.value[0]!.processes.map((p) => p.type)).toEqual(['G']);
    await h.clock.sleep(2000);
    const released = await h.observe();
    expect(released.gpus.status === 'known' && released.gpus.value[0]!.processes).toEqual([]);
  });

  it('refuses to act on a unit that is not loaded, like systemctl (exit status 5)', async () => {
    const h = new SimulatedHost({ config, loadStates: { 'vllm.service': 'not-found' } });
    const result = await h.perform({ kind: 'start', unit: 'vllm.service' });
    expect(result).toMatchObject({ ok: false, message: 'Unit vllm.service not loaded.' });
    expect(result.commands[0]).toMatchObject({ argv: ['systemctl', 'start', '--', 'vllm.service'], exitCode: 5 });
  });

  it('cancels a hung start when the signal aborts, leaving the unit activating', async () => {
    const h = new SimulatedHost({ config, faults: { hangStart: ['audio-priority.service'] } });
    const controller = new AbortController();
    const pending = h.perform({ kind: 'start', unit: 'audio-priority.service' }, controller.signal);
    await h.clock.sleep(60_000);
    controller.abort(new Error('timeout'));
    expect(await pending).toMatchObject({ ok: false });
    expect(h.world.unit('audio-priority.service')?.activeState).toBe('activating');
  });

  it('answers vllm-ready only once vLLM has warmed up', async () => {
    const h = new SimulatedHost({ config, mode: 'desktop', vllmWarmupMs: 30_000 });
    await h.perform({ kind: 'start', unit: 'vllm.service' });
    const started = h.clock.monotonicMs();
    expect((await h.perform({ kind: 'start', unit: 'vllm-ready.service' })).ok).toBe(true);
    expect(h.clock.monotonicMs() - started).toBeGreaterThanOrEqual(30_000);
  });
});
