import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../simulation/clock.ts';

describe('SimulatedClock', () => {
  it('fires sleeps in deadline order and jumps time only to the next deadline', async () => {
    const clock = new SimulatedClock();
    const fired: [string, number][] = [];
    const note = (name: string) => () => fired.push([name, clock.monotonicMs()]);
    await Promise.all([clock.sleep(3000).then(note('c')), clock.sleep(1000).then(note('a')), clock.sleep(1000).then(note('b'))]);
    expect(fired).toEqual([['a', 1000], ['b', 1000], ['c', 3000]]);
    expect(clock.now().toISOString()).toBe('2026-11-26T10:00:03.000Z');
  });

  it('lets pending promise work finish before advancing', async () => {
    const clock = new SimulatedClock();
    const order: string[] = [];
    const work = (async () => {
      for (let i = 0; i < 50; i += 1) await Promise.resolve();
      order.push(`work done at ${clock.monotonicMs()}`);
    })();
    await clock.sleep(10).then(() => order.push(`timer at ${clock.monotonicMs()}`));
    await work;
    expect(order).toEqual(['work done at 0', 'timer at 10']);
  });

  it('rejects an aborted sleep with the signal reason and drops its timer', async () => {
    const clock = new SimulatedClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(5000, controller.signal);
    controller.abort(new Error('step timed out'));
    await expect(sleeping).rejects.toThrow('step timed out');
    expect(clock.pendingTimers).toBe(0);
    expect(clock.monotonicMs()).toBe(0);
  });
});
