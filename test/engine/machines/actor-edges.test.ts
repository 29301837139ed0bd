// The effect actors at their edges: a host that cannot warn anyone, a session
// logind names no user for, the warning withdrawn when the countdown ends, a
// step abandoned in flight whose late result must not reach the audit log,
// and the defaults that fail loudly when no host was provided.
import { createActor, createMachine, type AnyActorLogic } from 'xstate';
import { describe, expect, it } from 'vitest';
import { unprovidedActors } from '../../../machines/actors.ts';
import type { MutatingAction } from '../../../machines/host.ts';
import { runController } from '../../../machines/run-controller.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { DEFAULT_USER_SESSION } from '../../../simulation/world.ts';
import { workstationConfig as config } from '../support/config.ts';

const host = (options: Partial<SimulatedHostOptions> = {}) => new SimulatedHost({ config, ...options });

describe('warning the person at the desk', () => {
  it('on a host that cannot show a notification: unwarned, and the run says why', async () => {
    const h = host();
    Object.defineProperty(h, 'warn', { value: undefined });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.notice).toMatchObject({ delivery: 'unwarned', deliveryDetail: 'this host cannot show a notification' });
  });

  it('a session logind names no user for is warned as "the user"', async () => {
    const h = host({ sessions: [{ ...DEFAULT_USER_SESSION, user: null }] });
    await runController(h, 'compute');
    expect(h.audit.find((e) => e.event === 'notice')?.reason).toBe('warning the user (session 2): the switch to compute ends the session in 60 s unless refused');
  });

  it('the warning is withdrawn (its signal aborted) once the countdown ends', async () => {
    const h = host();
    const signals: AbortSignal[] = [];
    const warn = h.warn.bind(h);
    h.warn = (delivery, report, signal) => {
      signals.push(signal);
      warn(delivery, report, signal);
    };
    expect((await runController(h, 'compute')).outcome).toBe('succeeded');
    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });
});

describe('a step abandoned in flight', () => {
  it('leaves no audit line of its own: its late result is no longer the run’s', async () => {
    const h = host();
    const stop = new AbortController();
    h.perform = (_action: MutatingAction, signal?: AbortSignal) => {
      stop.abort();
      return new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ ok: false, message: 'cancelled', commands: [] })));
    };
    const record = await runController(h, 'studio-local', { signal: stop.signal, interruptGraceMs: 3000 });
    await h.clock.sleep(60_000);
    expect(record.outcome).toBe('interrupted');
    expect(record.steps.map((s) => [s.stepId, s.ok])).toEqual([['set-weights-interactive', false]]);
    expect(h.audit.map((e) => e.event)).toEqual(['intent', 'outcome']);
  });
});

describe('the chart without a host', () => {
  /** what one default actor does when the chart invokes it: the error it rejects with, or the event it sends back */
  async function answerOf(logic: AnyActorLogic): Promise<unknown> {
    const parent = createMachine({
      invoke: { src: logic, input: {}, onError: { actions: ({ event }) => answers.push((event.error as Error).message) } },
      on: { '*': { actions: ({ event }) => answers.push(event) } },
    });
    const answers: unknown[] = [];
    const actor = createActor(parent).start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    actor.stop();
    return answers[0];
  }

  it.each(Object.keys(unprovidedActors).filter((name) => name !== 'warnPerson'))('%s rejects, naming itself and what to supply', async (name) => {
    expect(await answerOf(unprovidedActors[name as keyof typeof unprovidedActors])).toBe(`the ${name} actor was not provided: supply machine.provide({ actors: actorsFor(host) })`);
  });

  it('warnPerson reports the notice undelivered, saying why', async () => {
    expect(await answerOf(unprovidedActors.warnPerson)).toEqual({ type: 'NOTICE_UNDELIVERED', reason: 'the warnPerson actor was not provided: supply machine.provide({ actors: actorsFor(host) })' });
  });
});
