// runStep at its one raising edge: undoing a step that has no inverse is a
// bug in the chart (undoList leaves such steps out), and says which step.
import { describe, expect, it } from 'vitest';
import { runStep } from '../../../machines/apply-step.ts';
import { decide } from '../../../predicates/decide.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor } from '../support/facts.ts';

describe('runStep', () => {
  it('refuses to undo a step without an inverse, naming it, and touches nothing', async () => {
    const step = decide('compute', factsFor('desktop', config), config).plan.find((s) => s.inverse === null)!;
    const h = new SimulatedHost({ config });
    await expect(runStep(h, step, 'rollback', new AbortController().signal)).rejects.toThrow(`step ${step.id} has no inverse to roll back with`);
    expect(h.performed).toEqual([]);
  });
});
