// The cut of a request's time outside its record, from the three clocks'
// common instants: the timing driver's start, the audit log, the journal.
import { describe, expect, it } from 'vitest';
import { journalLine, requestTimeline, type JournalLine } from '../../bench/lib/request-timeline.ts';
import type { AuditEvent, TransitionRecord } from '../../schemas/records.ts';

const event = (e: Partial<AuditEvent> & Pick<AuditEvent, 'event' | 'monoMs'>): AuditEvent => ({
  v: 1, seq: 0, bootId: null, wall: '2026-12-04T05:00:00.000Z', runId: null, target: 'studio-local', generation: 7, outcome: null, reason: null, ...e,
});
const record = { runId: 'r1', target: 'studio-local', generation: 7, durationMs: 230 } as TransitionRecord;
const unit = 'mode-controller@studio-local.service';
const journal: JournalLine[] = [
  { monoMs: 900, unit, message: 'Starting mode-controller@studio-local.service - an earlier run...' },
  { monoMs: 1065, unit, message: 'Starting mode-controller@studio-local.service - Workstation mode transition to studio-local...' },
  { monoMs: 1410, unit, message: 'mode-controller@studio-local.service: Deactivated successfully.' },
  { monoMs: 1411, unit, message: 'Finished mode-controller@studio-local.service - Workstation mode transition to studio-local.' },
  { monoMs: 1412, unit: 'mode-controller@desktop.service', message: 'mode-controller@desktop.service: Deactivated successfully.' },
];
const events = [
  event({ event: 'desired', monoMs: 950, generation: 6 }),
  event({ event: 'desired', monoMs: 1060 }),
  event({ event: 'intent', monoMs: 1250, runId: 'r1' }),
  event({ event: 'outcome', monoMs: 1385, runId: 'r1', outcome: 'succeeded' }),
];

describe('requestTimeline', () => {
  it('cuts the request at the desired event, PID 1 starting the unit, the run, its outcome and the unit ending, on one clock', () => {
    const t = requestTimeline({ target: 'studio-local', cliStartMonoMs: 1000, cliMs: 425, record }, events, journal);
    expect(t).toEqual({
      target: 'studio-local',
      cliToDesiredMs: 60,
      desiredToUnitStartMs: 5,
      // the run started at 1385 - 230 = 1155
      unitStartToRunMs: 90,
      runMs: 230,
      outcomeToUnitEndMs: 25,
      unitEndToCliExitMs: 15,
    });
    const parts = t.cliToDesiredMs + t.desiredToUnitStartMs + t.unitStartToRunMs + t.runMs + t.outcomeToUnitEndMs + t.unitEndToCliExitMs;
    expect(parts).toBe(425);
  });

  it('says which instant is missing instead of cutting at a wrong one', () => {
    const at = { target: 'studio-local', cliStartMonoMs: 1000, cliMs: 425, record };
    expect(() => requestTimeline(at, events.filter((e) => e.event !== 'outcome'), journal)).toThrow(/request → studio-local \(run r1\): the audit log has no outcome event/);
    expect(() => requestTimeline(at, events, journal.slice(0, 1))).toThrow(/no "Starting" of mode-controller@studio-local.service after the desired event/);
    expect(() => requestTimeline({ ...at, cliStartMonoMs: 1100 }, events, journal)).toThrow(/no desired event of generation 7 after the CLI started/);
  });

  it('reads journalctl -o json lines, with PID 1 messages of a unit only', () => {
    expect(journalLine(JSON.stringify({ UNIT: unit, MESSAGE: 'Starting x', __MONOTONIC_TIMESTAMP: '1065250' }))).toEqual({ monoMs: 1065.25, unit, message: 'Starting x' });
    expect(journalLine(JSON.stringify({ _SYSTEMD_UNIT: unit, MESSAGE: 'the run itself', __MONOTONIC_TIMESTAMP: '1' }))).toBeNull();
  });
});
