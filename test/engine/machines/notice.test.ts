// The countdown before a switch ends a session someone is using: the chart's
// noticing state on the simulated host, whose person at the desk can refuse
// from the notification or with `mode cancel`, not answer, be unreachable, or
// be idle. Time is the run's simulated clock, so the 60 s grace is measured,
// not waited for.
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import { exitForOutcome, EXIT } from '../../../cli/exit-codes.ts';
import type { Config } from '../../../schemas/config.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { DEFAULT_USER_SESSION } from '../../../simulation/world.ts';
import { workstationConfig as config } from '../support/config.ts';
import { schemaErrors } from '../support/schema.ts';

const host = (options: Partial<SimulatedHostOptions> = {}) => new SimulatedHost({ config, ...options });
const withNotice = (notice: Partial<Config['notice']>): Config => ({ ...config, notice: { ...config.notice, ...notice } });
/** simulated ms from the warning to the run's first step (its intent) */
const waitedMs = (h: SimulatedHost): number => {
  const notice = h.audit.find((e) => e.event === 'notice');
  const intent = h.audit.find((e) => e.event === 'intent');
  return (intent?.monoMs ?? 0) - (notice?.monoMs ?? 0);
};

describe('warning the person at the desk before compute ends their session', () => {
  it('refused from the notification: canceled, nothing touched, the desktop proven, who refused in the record and the audit log', async () => {
    const h = host({ person: { refuses: { afterMs: 12_000, via: 'notification' } } });
    h.request('compute');
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('canceled');
    expect(exitForOutcome(record.outcome)).toBe(EXIT.canceled);
    expect(h.performed).toEqual([]);
    expect(record.finalObservation?.mode).toBe('desktop');
    expect(record.notice).toMatchObject({ user: 'alice', uid: 1000, sessionId: '2', graceMs: 60_000, delivery: 'shown', refusal: { by: 'alice', via: 'notification' } });
    expect(record.firstFailedPredicate).toMatchObject({ code: 'refused' });
    expect(record.firstFailedPredicate?.message).toBe(
      'the switch to compute would end the graphical session 2 of alice; alice refused it from the notification ("Keep my session"), so nothing was touched',
    );
    expect(schemaErrors('transition-record', record)).toEqual([]);
    const outcome = h.audit.find((e) => e.event === 'outcome');
    expect(outcome).toMatchObject({ outcome: 'canceled', reason: record.firstFailedPredicate?.message });
    expect(h.audit.map((e) => e.event)).toEqual(['notice', 'outcome']);
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]).toMatchObject({ sessionId: '2', user: 'alice', target: 'compute', graceMs: 60_000 });
    expect(h.notices[0]!.summary).toBe('Switching to compute in 60 s: your session will end');
    expect(h.lockHeld).toBe(false);
    expect(h.intent).toBeNull();
    // the refusal came 12 s into the countdown, which the run's phases show
    expect(record.phases.find((p) => p.name === 'notice')?.durationMs).toBe(12_000);
  });

  it('refused with mode cancel: the same outcome, naming mode cancel', async () => {
    const h = host({ person: { refuses: { afterMs: 3_000, via: 'mode cancel' } } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('canceled');
    expect(record.notice?.refusal).toMatchObject({ by: 'alice', via: 'mode cancel' });
    expect(record.firstFailedPredicate?.message).toContain('alice refused it with mode cancel');
    expect(h.performed).toEqual([]);
  });

  it('no answer: the switch goes ahead once the grace has passed, decided on a fresh observation', async () => {
    const h = host();
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.notice).toMatchObject({ delivery: 'shown', refusal: null });
    expect(waitedMs(h)).toBeGreaterThanOrEqual(60_000);
    expect(record.phases.map((p) => p.name)).toEqual(['lock', 'desired', 'observe', 'notice', 'observe', 'intent', 'apply', 'verify']);
  });

  it('what changed during the countdown decides: audio that starts playing blocks the switch', async () => {
    const h = host();
    void h.clock.sleep(30_000).then(() => h.world.audioStreams.push({ id: '41', application: 'Firefox', pid: 4242, uid: 1000, corked: false, running: true }));
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('audio-active');
    expect(h.performed).toEqual([]);
    expect(h.notices).toHaveLength(1);
  });

  it('a refusal that comes after the grace changes nothing: the switch has gone ahead', async () => {
    const h = host({ person: { refuses: { afterMs: 61_000, via: 'notification' } } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.notice?.refusal).toBeNull();
  });

  it('an idle session (logind IdleHint longer than idleAfterSeconds) is not warned and not waited for', async () => {
    const h = host({ sessions: [{ ...DEFAULT_USER_SESSION, idleHint: true, idleForMs: 301_000 }] });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(h.notices).toEqual([]);
    expect(record.notice).toBeNull();
    expect(record.phases.map((p) => p.name)).not.toContain('notice');
  });

  it('idle for less than idleAfterSeconds, or with the idle time unread, still counts as used', async () => {
    for (const session of [{ ...DEFAULT_USER_SESSION, idleHint: true, idleForMs: 299_000 }, { ...DEFAULT_USER_SESSION, idleHint: true, idleForMs: null }]) {
      const h = host({ sessions: [session], person: { refuses: { afterMs: 1_000, via: 'notification' } } });
      expect((await runController(h, 'compute')).outcome).toBe('canceled');
    }
  });

  it('an inactive session (switched away from) has nobody at it: no warning', async () => {
    const h = host({ sessions: [{ ...DEFAULT_USER_SESSION, active: false, state: 'online' }] });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(h.notices).toEqual([]);
  });

  it('unreachable (no session bus): the run says so and, by default, still waits the grace, so mode cancel can refuse', async () => {
    const h = host({ person: { reachable: false } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.notice).toMatchObject({ delivery: 'unwarned', deliveryDetail: 'no session bus for alice (simulated): the notification could not be shown' });
    expect(waitedMs(h)).toBeGreaterThanOrEqual(60_000);

    const refused = host({ person: { reachable: false, refuses: { afterMs: 5_000, via: 'mode cancel' } } });
    expect((await runController(refused, 'compute')).outcome).toBe('canceled');
  });

  it('unreachable with notice.ifUnwarned = proceed: goes ahead at once, saying the person could not be warned', async () => {
    const h = host({ config: withNotice({ ifUnwarned: 'proceed' }), person: { reachable: false } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.notice?.delivery).toBe('unwarned');
    expect(waitedMs(h)).toBe(0);
    // no second observation: no time passed
    expect(record.phases.map((p) => p.name)).toEqual(['lock', 'desired', 'observe', 'notice', 'intent', 'apply', 'verify']);
  });

  it('graceSeconds 0, and a desired record made with --no-grace, skip the warning', async () => {
    const none = host({ config: withNotice({ graceSeconds: 0 }) });
    expect((await runController(none, 'compute')).notice).toBeNull();
    expect(none.notices).toEqual([]);

    const h = host({ person: { refuses: { afterMs: 1, via: 'notification' } } });
    h.desired = { ...h.request('compute'), noGrace: true };
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(h.notices).toEqual([]);
  });

  it('only a switch that ends a session warns: studio-local and the way back to desktop do not', async () => {
    const h = host({ person: { refuses: { afterMs: 1, via: 'notification' } } });
    expect((await runController(h, 'studio-local')).outcome).toBe('succeeded');
    const c = host({ mode: 'compute', person: { refuses: { afterMs: 1, via: 'notification' } } });
    expect((await runController(c, 'desktop')).outcome).toBe('succeeded');
    expect([...h.notices, ...c.notices]).toEqual([]);
  });

  it('asked to stop during the countdown: interrupted at once, nothing touched', async () => {
    const h = host();
    const stop = new AbortController();
    void h.clock.sleep(5_000).then(() => stop.abort());
    const record = await runController(h, 'compute', { signal: stop.signal });
    expect(record.outcome).toBe('interrupted');
    expect(h.performed).toEqual([]);
    expect(record.phases.find((p) => p.name === 'notice')?.durationMs).toBe(5_000);
  });
});
