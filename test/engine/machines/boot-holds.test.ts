// Issue 18 on the simulated host: mode-boot.service runs whenever a start job
// pulls multi-user.target in and it is not active (simulation/mode-boot.ts),
// and every controller start it queues is run as PID 1 would run it. Over
// random request sequences with random faults, the machine must end in the
// newest request's mode, with that request still the desired one, or the
// newest request's own record must say why not. With both halves of the fix
// off the property fails; with either half alone it holds.
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import { classify } from '../../../predicates/classify.ts';
import { MODES } from '../../../schemas/modes.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { Faults } from '../../../simulation/faults.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { SHIPPED_MODE_BOOT, type ModeBootModel } from '../../../simulation/mode-boot.ts';
import { workstationConfig as config } from '../support/config.ts';
import { runs } from '../support/runs.ts';
import { faultsArb, runQueuedStarts } from '../support/scenarios.ts';

interface Step {
  mode: ModeName;
  faults: Faults;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  mode: fc.constantFrom(...MODES),
  // a run that dies mid-way is the recovery suite's subject; here every run records
  faults: faultsArb(config).filter((f) => f.dieAfterStep === undefined),
});


/** Why the sequence did not end in its newest request's mode, or null when it did. */
async function newestRequestHolds(model: ModeBootModel, steps: readonly Step[]): Promise<string | null> {
  const host = new SimulatedHost({ config, mode: 'desktop', modeBoot: model });
  await host.boot();
  await runQueuedStarts(host);
  let newest = null;
  for (const step of steps) {
    newest = host.request(step.mode);
    host.faults = step.faults;
    await runController(host, step.mode);
    host.faults = {};
    await runQueuedStarts(host);
  }
  if (newest === null) return null;
  const observed = classify(await host.observe(), config).mode;
  if (host.desired?.generation !== newest.generation) return `desired.json holds generation ${String(host.desired?.generation)} (${String(host.desired?.via)}), not the newest request ${newest.generation}`;
  if (observed === newest.mode) return null;
  const own = host.records.map((r) => r.record).filter((r) => r.generation === newest.generation);
  const reason = own.find((r) => r.firstFailedPredicate !== null);
  return reason ? null : `the machine is ${observed}, not the newest request's ${newest.mode}, and no record of generation ${newest.generation} says why (${own.map((r) => r.outcome).join(', ')})`;
}

const sequenceArb = fc.array(stepArb, { minLength: 1, maxLength: 5 });

describe('the newest request holds with mode-boot.service on the simulated host', () => {
  it('reproduces issue 18 without the fix: a proven compute goes back to desktop', async () => {
    const broken = { remainAfterExit: false, oncePerBoot: false };
    // the journal: boot default at generation 1, then 3 (compute's isolate re-ran it) and 4 (desktop's isolate)
    expect(await newestRequestHolds(broken, [{ mode: 'compute', faults: {} }])).toBe('desired.json holds generation 4 (boot), not the newest request 2');
  });

  it('boots once: the boot run records the boot default and proves it', async () => {
    const host = new SimulatedHost({ config, mode: 'desktop', modeBoot: SHIPPED_MODE_BOOT });
    await host.boot();
    expect(host.desired).toMatchObject({ mode: 'desktop', generation: 1, via: 'boot' });
    expect(host.pendingControllerStarts).toEqual(['desktop']);
    expect(host.world.isActive('mode-boot.service')).toBe(true);
  });

  fcTest.prop([sequenceArb], { numRuns: runs(60) })('as shipped (RemainAfterExit=yes, once per boot)', async (steps) => {
    expect(await newestRequestHolds(SHIPPED_MODE_BOOT, steps)).toBeNull();
  }, 120_000);

  fcTest.prop([sequenceArb], { numRuns: runs(40) })('with RemainAfterExit=yes alone', async (steps) => {
    expect(await newestRequestHolds({ remainAfterExit: true, oncePerBoot: false }, steps)).toBeNull();
  }, 120_000);

  fcTest.prop([sequenceArb], { numRuns: runs(40) })('with once per boot alone', async (steps) => {
    expect(await newestRequestHolds({ remainAfterExit: false, oncePerBoot: true }, steps)).toBeNull();
  }, 120_000);

  it('fails without either half, so the property can catch the defect', async () => {
    const result = await fc.check(
      fc.asyncProperty(sequenceArb, async (steps) => (await newestRequestHolds({ remainAfterExit: false, oncePerBoot: false }, steps)) === null),
      { numRuns: 200, seed: 18 },
    );
    expect(result.failed).toBe(true);
  }, 120_000);
});
