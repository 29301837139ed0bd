// The plan's phase 4 files in the sandbox: capability-placement.json and
// hardware-topology.json exist after boot (written by the real `mode boot`
// in mode-boot.service, and again by the boot run) and are refreshed by a
// switch; each time they match the config and the topology observed from
// outside: the fake nvidia-smi's GPUs, this machine's lspci (the sandbox sees
// the host's /sys), and the boot loader as bootctl reports it inside.
import { expect, it } from 'vitest';
import { observeTopology } from '../../effects/observe/collect-topology.ts';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { gpuIdentities } from '../../effects/records/inspection-records.ts';
import { CapabilityPlacementRecord, HardwareTopology } from '../../schemas/runtime-records.ts';
import { schemaErrors } from '../support/schema-errors.ts';
import { request, withControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites, toolPrerequisites } from './prerequisites.ts';
import { BOOT_PROGRAM, withSandbox, type Sandbox } from './sandbox.ts';
import { outsideRoots } from './outside-roots.ts';

const RUNTIME_DIR = '/run/mode-controller';

function readInspection(sandbox: Sandbox): { placement: CapabilityPlacementRecord; topology: HardwareTopology } {
  const read = (file: string, schema: string): unknown => {
    const text = sandbox.readInside(`${RUNTIME_DIR}/${file}`);
    if (text === null) throw new Error(`${RUNTIME_DIR}/${file} does not exist inside the sandbox`);
    const value = JSON.parse(text) as unknown;
    expect(schemaErrors(schema, value), file).toEqual([]);
    return value;
  };
  return {
    placement: CapabilityPlacementRecord.parse(read('capability-placement.json', 'capability-placement')),
    topology: HardwareTopology.parse(read('hardware-topology.json', 'hardware-topology')),
  };
}

/** The files against the config and against what an observer outside sees now. */
async function expectMatchesObserved(sandbox: Sandbox, files: ReturnType<typeof readInspection>, gpus: 'known' | 'known-or-explained'): Promise<void> {
  expect(files.placement).toMatchObject({ configPath: sandbox.configPathInside, placement: { studio: sandbox.config.capabilityPlacement.studio } });
  const env = { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` };
  const [facts, topology] = await Promise.all([observeFacts(sandbox.config, { roots: outsideRoots(sandbox), env }), observeTopology(sandbox.config, { env })]);
  // identities only, without where each was read from
  const values = (fact: { status: string; value?: unknown }) => (fact.status === 'known' ? fact.value : fact.status);
  if (gpus === 'known-or-explained' && files.topology.gpus.status === 'unknown') {
    // mode-boot.service has PrivateDevices=yes and no capabilities: nvidia-smi may see nothing there, and the file says why
    expect(files.topology.gpus.reason).not.toBe('');
  } else {
    expect(files.topology.gpus.status, JSON.stringify(files.topology.gpus)).toBe('known');
    expect(values(files.topology.gpus)).toEqual(values(gpuIdentities(facts.gpus)));
  }
  expect(files.topology.pciGpus?.status, JSON.stringify(files.topology.pciGpus)).toBe('known');
  expect(files.topology.pciGpus && values(files.topology.pciGpus)).toEqual(values(topology.pciGpus));
  expect(files.topology.bootloader?.status).toBeDefined();
}

// lspci (pciutils) is real here: the controller inside runs it as on the workstation
describeWhen([...sandboxPrerequisites(), ...toolPrerequisites(['lspci'])], 'phase 4 files: capability placement and hardware topology', () => {
  it('mode boot writes both at boot, before any controller run', async () => {
    // the controller unit does nothing here, so only mode boot can have written them
    await withSandbox({ controller: { script: 'exit 0' }, bootProgram: BOOT_PROGRAM }, async (sandbox) => {
      await sandbox.waitUntil('mode-boot.service has run', async () => (await sandbox.show(['mode-boot.service'], ['ActiveState'])).get('mode-boot.service')?.ActiveState === 'active', 60_000);
      expect(sandbox.readInside(`${RUNTIME_DIR}/last-transition.json`)).toBeNull();
      await expectMatchesObserved(sandbox, readInspection(sandbox), 'known-or-explained');
      expect(await sandbox.journal(400)).not.toContain('inspection-unwritten');
    });
  }, 120_000);

  it('the boot run and a switch to studio-local refresh them, each matching the config and the observed topology', async () => {
    await withControllerSandbox({}, async (sandbox) => {
      const afterBoot = readInspection(sandbox);
      await expectMatchesObserved(sandbox, afterBoot, 'known');

      const { record } = await request(sandbox, 'studio-local');
      expect(record.outcome).toBe('succeeded');
      const afterSwitch = readInspection(sandbox);
      // written by this run, under its lock: after it started
      for (const written of [afterSwitch.placement.writtenAt, afterSwitch.topology.writtenAt]) expect(Date.parse(written)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
      expect(Date.parse(afterSwitch.topology.writtenAt)).toBeGreaterThan(Date.parse(afterBoot.topology.writtenAt));
      await expectMatchesObserved(sandbox, afterSwitch, 'known');
      expect(await sandbox.journal(400)).not.toContain('inspection-unwritten');
    });
  }, 300_000);
});
