// Plan phase 9, end to end: three clean studio-local round trips and three
// clean compute round trips in a row, no cleanup between runs, no false
// success, and no lock left held at the end.
import { expect, it } from 'vitest';
import type { ModeName } from '../../schemas/names.ts';
import { gpuProcessTypes, graphicalSessions, request, sliceWeights, withControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

const ROUNDS = 3;

describeWhen(sandboxPrerequisites(), 'end to end: repeatability (phase 9)', () => {
  it(`${ROUNDS} studio-local and ${ROUNDS} compute round trips in a row`, async () => {
    await withControllerSandbox({}, async (sandbox) => {
      const baseline = await sliceWeights(sandbox);
      const outcomes: string[] = [];
      const go = async (mode: ModeName) => {
        const { record } = await request(sandbox, mode);
        outcomes.push(`${mode}:${record.outcome}:${record.finalObservation?.mode ?? record.from?.mode ?? '?'}`);
        return record;
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        await go('studio-local');
        await go('desktop');
        expect(await sliceWeights(sandbox)).toEqual(baseline);
      }
      for (let round = 0; round < ROUNDS; round += 1) {
        await go('compute');
        expect(await gpuProcessTypes(sandbox)).toEqual(['C']);
        await go('desktop');
        await sandbox.waitUntil('a graphical session is back', async () => (await graphicalSessions(sandbox)).length === 1);
        expect(await gpuProcessTypes(sandbox)).not.toContain('C');
      }
      const expected = [
        ...Array.from({ length: ROUNDS }, () => ['studio-local:succeeded:studio-local', 'desktop:succeeded:desktop']).flat(),
        ...Array.from({ length: ROUNDS }, () => ['compute:succeeded:compute', 'desktop:succeeded:desktop']).flat(),
      ];
      expect(outcomes).toEqual(expected);

      const lock = await sandbox.store.tryLock();
      expect(lock.acquired).toBe(true);
      if (lock.acquired) await lock.release();
      expect(sandbox.readInside('/var/lib/mode-controller/intent.json')).toBeNull();
    });
  }, 15 * 60_000);
});
