// Requirement 6 of issue 3: observing the development machine as it is (no
// GPU, no logind, systemd not PID 1, no sound card) must not crash, and every
// source it cannot read must be `unknown` with a reason, never a made-up value.
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { observeTopology } from '../../effects/observe/collect-topology.ts';
import { Facts, FACT_NAMES } from '../../schemas/facts.ts';
import { ObservedTopology } from '../../schemas/topology.ts';
import { testConfig } from './test-config.ts';

const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const pid1 = (() => {
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim();
  } catch {
    return null;
  }
})();

describe('observing this machine for real', () => {
  it('reports every fact as known or as unknown with a reason, and nothing it could not have read', async () => {
    const facts = await observeFacts(testConfig());
    expect(Facts.safeParse(facts).success).toBe(true);
    for (const name of FACT_NAMES) {
      const fact = facts[name];
      if (fact.status === 'unknown') {
        expect(fact.reason.length, `${name} has an unknown without a reason`).toBeGreaterThan(10);
      } else {
        expect(fact.status).toBe('known');
      }
    }
    if (pid1 !== 'systemd') {
      // systemd is not PID 1: systemctl cannot answer, so units must not be guessed
      expect(facts.units).toMatchObject({ status: 'unknown' });
      expect(facts.sessions).toMatchObject({ status: 'unknown' });
    }
    if (!onPath('nvidia-smi')) expect(facts.gpus).toMatchObject({ status: 'unknown', code: 'tool-missing' });
    // /proc/meminfo exists on every Linux machine
    expect(facts.memory.status).toBe('known');
  });

  it('reports the hardware topology the same way', async () => {
    const topology = await observeTopology(testConfig());
    expect(ObservedTopology.safeParse(topology).success).toBe(true);
    for (const fact of [topology.pciDevices, topology.pciGpus, topology.bootloader]) {
      if (fact.status === 'unknown') expect(fact.reason.length).toBeGreaterThan(10);
    }
    if (!onPath('lspci')) expect(topology.pciGpus).toMatchObject({ status: 'unknown', code: 'tool-missing' });
  });
});
