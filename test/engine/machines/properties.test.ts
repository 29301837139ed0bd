import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/runs.ts';
import { runController } from '../../../machines/run-controller.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';
import { checkScenario, scenarioArb } from '../support/scenarios.ts';

const sliceIds = Object.values(config.units.slices);
const weightsOf = (h: SimulatedHost) => sliceIds.map((id) => ({ cpuWeight: h.world.unit(id)!.cpuWeight, ioWeight: h.world.unit(id)!.ioWeight }));
const priorArb = fc.record({ cpuWeight: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }), ioWeight: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }) });

const PROPERTY_TIMEOUT_MS = 180_000;

describe('controller properties over random requests and faults', () => {
  fcTest.prop([scenarioArb(config)], { numRuns: runs(80) })(
    'no false success, blocked/busy/noop touch nothing, rollback is proven, records conform, the lock is released, reruns are no-ops',
    async (scenario) => {
      const result = await checkScenario(config, scenario);
      expect(result.violations).toEqual([]);
    },
    // Hundreds of simulated runs: generous on a busy shared machine (no timing is asserted).
    PROPERTY_TIMEOUT_MS,
  );

  it('a run that recovers the intent it found and then dies itself has written only the recovered record (seed 1650106637)', async () => {
    const died = { dieAfterStep: 'intent-written' };
    const result = await checkScenario(config, {
      initial: { mode: 'desktop', audioProcesses: [], memory: { memTotalKiB: 67108864, memAvailableKiB: 41943040 } },
      runs: [
        { target: 'desktop', faults: died, lockHeldByOther: false, desired: 'studio-local' },
        { target: 'desktop', faults: died, lockHeldByOther: false, desired: null },
        { target: 'desktop', faults: { hangStop: ['desktop.target'] }, lockHeldByOther: true, desired: null },
      ],
    });
    expect(result).toMatchObject({ crashes: 2, violations: [] });
  });

  fcTest.prop([fc.tuple(priorArb, priorArb, priorArb), fc.constantFrom('studio-local-policy.service', 'audio-priority.service')], { numRuns: runs(50) })(
    'a failed studio switch restores the exact prior weights, whatever they were (not set included)',
    async (priors, failing) => {
      const host = new SimulatedHost({ config, mode: 'desktop', sliceWeights: Object.fromEntries(sliceIds.map((id, i) => [id, priors[i]!])), faults: { failStart: [failing] } });
      const before = weightsOf(host);
      const record = await runController(host, 'studio-local');
      expect(['rolled-back', 'degraded']).toContain(record.outcome);
      expect(weightsOf(host)).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );

  fcTest.prop([fc.tuple(fc.boolean(), fc.boolean(), fc.boolean())], { numRuns: runs(16) })(
    'a studio round trip brings back exactly the baseline the desktop had, and twice changes nothing more',
    async (explicit) => {
      // Desktop means baseline weights; an unset weight is the same effective baseline (100) and stays provable.
      const sliceWeights = Object.fromEntries(sliceIds.map((id, i) => [id, explicit[i] ? { cpuWeight: 100, ioWeight: 100 } : { cpuWeight: null, ioWeight: null }]));
      const host = new SimulatedHost({ config, mode: 'desktop', sliceWeights });
      expect((await runController(host, 'studio-local')).outcome).toBe('succeeded');
      expect((await runController(host, 'desktop')).outcome).toBe('succeeded');
      // exactly the config's baseline: 100 where it says 100, not set where it sets none (user.slice)
      expect(weightsOf(host)).toEqual((Object.keys(config.units.slices) as (keyof typeof config.units.slices)[]).map((role) => config.slices.baseline[role]));
      const calls = host.performed.length;
      expect((await runController(host, 'desktop')).outcome).toBe('noop');
      expect(host.performed.length).toBe(calls);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
