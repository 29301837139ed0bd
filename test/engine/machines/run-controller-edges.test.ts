// runController's own bookkeeping around the actor: a chart that throws (a
// bug) rejects with that error rather than hanging, the caller's stop signal
// is let go of when the run ends either way, the interrupt grace timer does
// not outlive the run, and a run without an id gets a unique one.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';

/** A host whose clock breaks once the lock is taken: the chart's next timestamp throws inside an action. */
function breakingHost(): SimulatedHost {
  const h = new SimulatedHost({ config });
  const lock = h.lock.bind(h);
  h.lock = () => {
    h.clock.now = () => {
      throw new Error('the clock broke');
    };
    return lock();
  };
  return h;
}

const GRACE_MS = 7777;

/** The signals of the interrupt grace timers the run starts (sleeps of GRACE_MS). */
function recordGraceSleeps(h: SimulatedHost): AbortSignal[] {
  const signals: AbortSignal[] = [];
  const sleep = h.clock.sleep.bind(h.clock);
  h.clock.sleep = (ms, signal) => {
    if (ms === GRACE_MS && signal) signals.push(signal);
    return sleep(ms, signal);
  };
  return signals;
}

describe('runController', () => {
  it('a chart that throws rejects with the error, and lets go of the stop signal', async () => {
    const stop = new AbortController();
    await expect(runController(breakingHost(), 'studio-local', { runId: 'x', signal: stop.signal })).rejects.toThrow('the clock broke');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('a chart that throws rejects the same without a stop signal', async () => {
    await expect(runController(breakingHost(), 'studio-local', { runId: 'x' })).rejects.toThrow('the clock broke');
  });

  it('a chart that throws after being asked to stop cancels the grace timer too', async () => {
    const h = breakingHost();
    const graceSignals = recordGraceSleeps(h);
    const stop = new AbortController();
    stop.abort();
    await expect(runController(h, 'studio-local', { runId: 'x', signal: stop.signal, interruptGraceMs: GRACE_MS })).rejects.toThrow('the clock broke');
    expect(graceSignals.map((s) => s.aborted)).toEqual([true]);
  });

  it('a run that ends lets go of the stop signal', async () => {
    const stop = new AbortController();
    await runController(new SimulatedHost({ config }), 'studio-local', { runId: 'x', signal: stop.signal });
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('an interrupted run cancels its grace timer when it ends', async () => {
    const h = new SimulatedHost({ config });
    const graceSignals = recordGraceSleeps(h);
    const stop = new AbortController();
    stop.abort();
    const record = await runController(h, 'studio-local', { runId: 'x', signal: stop.signal, interruptGraceMs: GRACE_MS });
    expect(record.outcome).toBe('interrupted');
    expect(graceSignals.map((s) => s.aborted)).toEqual([true]);
  });

  it('a run without an id gets one from the time and a random suffix', async () => {
    const h = new SimulatedHost({ config });
    const ids = [(await runController(h, 'studio-local')).runId, (await runController(h, 'desktop')).runId];
    for (const id of ids) expect(id).toMatch(/^2026-11-26T10:00:\d\d\.\d{3}Z-[a-z0-9]{1,8}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
