// The fields of a record that no outcome test looks at but an operator reads:
// the generation the request carried, the run's duration on a clock that did
// not start at zero, and what a recovered record says when the boot or the
// machine could not be told.
import { describe, expect, it } from 'vitest';
import { initialContext, recoveredRecord } from '../../../machines/context.ts';
import { runController } from '../../../machines/run-controller.ts';
import type { Intent } from '../../../schemas/records.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';

const gone: Intent = { schemaVersion: 1, runId: 'gone', target: 'studio-local', generation: 3, step: 'set-weights-ai', startedAt: '2026-11-26T09:00:00.000Z', bootId: 'sim-boot', pid: 4321 };

describe('the record of a run', () => {
  it('carries the generation of the request it serves', async () => {
    const h = new SimulatedHost({ config });
    const record = await runController(h, 'studio-local', { runId: 'g', generation: 7 });
    expect(record.generation).toBe(7);
  });

  it('without a known generation records null', async () => {
    const record = await runController(new SimulatedHost({ config }), 'studio-local', { runId: 'g' });
    expect(record.generation).toBeNull();
  });

  it('measures its duration from its own start, not from the clock’s zero', async () => {
    const h = new SimulatedHost({ config });
    await runController(h, 'studio-local', { runId: 'first' });
    expect(h.clock.monotonicMs()).toBeGreaterThan(0);
    const second = await runController(h, 'desktop', { runId: 'second' });
    expect(second.durationMs).toBeGreaterThan(0);
    expect(second.durationMs).toBe(Date.parse(second.finishedAt) - Date.parse(second.startedAt));
  });
});

describe('the journal of a rolled-back run', () => {
  it('names each undo rollback-<id>, so a run that dies mid-rollback is told apart from one that died applying', async () => {
    const h = new SimulatedHost({ config, faults: { failStart: ['audio-priority.service'] } });
    const record = await runController(h, 'studio-local', { runId: 'rb' });
    expect(record.outcome).toBe('rolled-back');
    const undone = record.steps.filter((s) => s.phase === 'rollback').map((s) => `rollback-${s.stepId}`);
    expect(undone.length).toBeGreaterThan(0);
    expect(h.intents.map((i) => i.step).filter((step) => step.startsWith('rollback-'))).toEqual(undone);
  });
});

describe('a recovered record', () => {
  it('on a host that cannot tell its boot calls the dead run’s boot unknown', async () => {
    const h = new SimulatedHost({ config });
    h.bootId = () => Promise.resolve(null);
    await h.writeIntent(gone);
    await runController(h, 'desktop', { runId: 'next' });
    expect(h.records[0]!.record.firstFailedPredicate?.message).toBe(
      'run gone to studio-local (pid 4321, an unknown boot) stopped in or right after step set-weights-ai (the last step it started) without recording an outcome; run next found the machine desktop and reconciles it',
    );
  });

  it('built before anything was observed says so, rather than naming a mode', () => {
    const context = initialContext({ config, target: 'desktop', runId: 'next', bootId: 'sim-boot', pid: 1, now: () => 0, wall: () => '2026-11-26T10:00:00.000Z' });
    expect(recoveredRecord(context, gone).firstFailedPredicate?.message).toMatch(/; run next found the machine unobserved and reconciles it$/);
  });
});
