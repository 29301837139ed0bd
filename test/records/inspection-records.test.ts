// capability-placement.json and hardware-topology.json (the plan's phase 4),
// as the real host writes them with each record of a run and `mode boot`
// writes them at boot: valid against their published schemas, equal to the
// config and to what the run observed, the topology tools run once per run
// however often it observes, and a file that cannot be written is reported
// and changes nothing else. Fake nvidia-smi, lspci and bootctl print real
// captures and log each call.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOnce } from '../../cli/run/run-once.ts';
import { writeInspectionAtBoot } from '../../effects/inspection-at-boot.ts';
import { createRealHost } from '../../effects/real-host.ts';
import { gpuIdentities } from '../../effects/records/inspection-records.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import { observeAndRecord } from '../../machines/observation.ts';
import type { Config } from '../../schemas/config.ts';
import type { CapabilityPlacementRecord, HardwareTopology, ObservationRecord } from '../../schemas/runtime-records.ts';
import { withConfig, workstationConfig } from '../engine/support/config.ts';
import { fakeTools, type FakeTools } from '../observe/fake-tools.ts';
import { REAL } from '../observe/fixtures.ts';
import { schemaErrors } from '../support/schema-errors.ts';
import { transitionRecord } from './support/sample-records.ts';
import { makeDirs, type TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
let tools: FakeTools;
beforeEach(() => {
  dirs = makeDirs('dubnium-inspection-');
  tools = fakeTools();
  const calls = join(tools.dir, 'calls');
  for (const [tool, capture] of [
    ['nvidia-smi', 'd_nvidia_smi_xml/dual-rtx-a5000-590-v13-same-pid-both-gpus.xml'],
    ['lspci', 'k_lspci/egpu-switcher-22-grep-vga-3d-intel-unnamed-device.txt'],
    ['bootctl', 'l_bootctl/v246-lenovo-uefi2.00-systemd-boot-245.txt'],
  ] as const) {
    tools.script(tool, `echo ${tool} >> '${calls}'\n/bin/cat '${REAL}${capture}'`);
  }
});
afterEach(() => {
  tools.cleanup();
  dirs.cleanup();
});

const calls = (tool: string): number => {
  try {
    return readFileSync(join(tools.dir, 'calls'), 'utf8').split('\n').filter((line) => line === tool).length;
  } catch {
    return 0;
  }
};
const read = <T>(file: string): T => JSON.parse(readFileSync(join(dirs.runtimeDir, file), 'utf8')) as T;
// a folder where the file goes: its rename into place fails while the rest of /run stays writable
const block = (file: string) => {
  mkdirSync(join(dirs.runtimeDir, file));
  writeFileSync(join(dirs.runtimeDir, file, 'keep'), '');
};

function realHost(config: Config, unwritten: string[] = []) {
  return createRealHost(config, {
    runtimeDir: dirs.runtimeDir,
    stateDir: dirs.stateDir,
    env: tools.env,
    configPath: '/etc/dubnium/config.json',
    store: { runId: 'inspection-run' },
    onInspectionUnwritten: (file, reason) => unwritten.push(`${file}: ${reason}`),
  });
}

describe('a controller run (the real host)', () => {
  it('writes both files with its record: the placement of the config, the GPUs of its last observation, lspci and bootctl once', async () => {
    const host = realHost(workstationConfig);
    // as a run observes: each observation also recorded (last-observation.json) with its classification
    for (let i = 0; i < 3; i++) await observeAndRecord(host);
    await host.writeRecord(transitionRecord(1), null);

    expect(calls('nvidia-smi')).toBe(3);
    expect(calls('lspci')).toBe(1);
    expect(calls('bootctl')).toBe(1);

    const placement = read<CapabilityPlacementRecord>('capability-placement.json');
    expect(schemaErrors('capability-placement', placement)).toEqual([]);
    expect(placement).toMatchObject({ schemaVersion: 1, configPath: '/etc/dubnium/config.json', placement: { studio: workstationConfig.capabilityPlacement.studio } });

    const topology = read<HardwareTopology>('hardware-topology.json');
    expect(schemaErrors('hardware-topology', topology)).toEqual([]);
    const observed = read<ObservationRecord>('last-observation.json');
    expect(topology.gpus).toEqual(gpuIdentities(observed.facts.gpus));
    expect(topology.gpus.status === 'known' && topology.gpus.value.map((g) => [g.index, g.name])).toEqual([
      [0, 'NVIDIA RTX A5000'],
      [1, 'NVIDIA RTX A5000'],
    ]);
    expect(topology.pciGpus).toMatchObject({ status: 'known' });
    expect(topology.pciGpus?.status === 'known' && topology.pciGpus.value.map((d) => d.address)).toEqual(['00:02.0', '02:00.0', '08:00.0']);
    expect(topology.bootloader).toMatchObject({ status: 'known', value: { systemdBootInUse: true } });
  });

  it('says where studio work runs as the config places it', async () => {
    await realHost(withConfig((c) => (c.capabilityPlacement.studio = 'remote'))).writeRecord(transitionRecord(2), null);
    expect(read<CapabilityPlacementRecord>('capability-placement.json').placement).toEqual({ studio: 'remote' });
  });

  it('leaves hardware-topology.json alone when the run observed nothing (and runs no topology tool)', async () => {
    await realHost(workstationConfig).writeRecord(transitionRecord(3), null);
    expect(() => read('hardware-topology.json')).toThrow(/ENOENT/);
    expect(calls('lspci') + calls('bootctl')).toBe(0);
    expect(read<CapabilityPlacementRecord>('capability-placement.json').placement.studio).toBe('local');
  });

  it('reports each file it cannot write and still writes the record; nothing throws', async () => {
    block('capability-placement.json');
    block('hardware-topology.json');
    const unwritten: string[] = [];
    const host = realHost(workstationConfig, unwritten);
    await host.observe();
    await expect(host.writeRecord(transitionRecord(4), null)).resolves.toBeUndefined();
    expect(unwritten).toEqual([
      expect.stringMatching(/^capability-placement\.json: cannot rename into place .*capability-placement\.json/),
      expect.stringMatching(/^hardware-topology\.json: cannot rename into place .*hardware-topology\.json/),
    ]);
    expect(read<{ runId: string }>('last-transition.json').runId).toBe(transitionRecord(4).runId);
  });

  it('runOnce says so in the journal (inspection-unwritten), and the run ends as it would have', async () => {
    block('hardware-topology.json');
    const lines: string[] = [];
    const record = await runOnce({ config: workstationConfig, target: 'desktop', runtimeDir: dirs.runtimeDir, stateDir: dirs.stateDir, env: tools.env, out: (text) => lines.push(text), lockWaitMs: 0 });
    // no systemctl on PATH: the units are unknown, so the run is blocked after observing
    expect(record.outcome).toBe('blocked');
    const reported = lines.filter((line) => line.startsWith('inspection-unwritten '));
    expect(reported).toHaveLength(1);
    const said = JSON.parse(reported[0]?.slice('inspection-unwritten '.length) ?? '') as { file: string; reason: string };
    expect(Object.keys(said).sort()).toEqual(['file', 'reason']);
    expect(said.file).toBe('hardware-topology.json');
    expect(said.reason).toContain(join(dirs.runtimeDir, 'hardware-topology.json'));
    // the config path the run read, from $DUBNIUM_CONFIG or the default
    expect(read<CapabilityPlacementRecord>('capability-placement.json').configPath).toBe('/etc/dubnium/config.json');
  });
});

describe('mode boot (writeInspectionAtBoot)', () => {
  it('writes both files from one look at the GPUs and the topology', async () => {
    const unwritten = await writeInspectionAtBoot(workstationConfig, { sink: createRecordStore(dirs), configPath: '/run/x/config.json', env: tools.env });
    expect(unwritten).toEqual([]);
    expect([calls('nvidia-smi'), calls('lspci'), calls('bootctl')]).toEqual([1, 1, 1]);
    const topology = read<HardwareTopology>('hardware-topology.json');
    expect(schemaErrors('hardware-topology', topology)).toEqual([]);
    expect(topology.gpus.status === 'known' && topology.gpus.value).toHaveLength(2);
    expect(read<CapabilityPlacementRecord>('capability-placement.json')).toMatchObject({ configPath: '/run/x/config.json', placement: { studio: 'local' } });
  });

  it('writes what it could not see as unknown with the reason (mode-boot.service sees no GPU device)', async () => {
    tools.script('nvidia-smi', "echo 'Failed to initialize NVML: Unknown Error' >&2\nexit 255");
    expect(await writeInspectionAtBoot(workstationConfig, { sink: createRecordStore(dirs), configPath: '/c', env: tools.env })).toEqual([]);
    const topology = read<HardwareTopology>('hardware-topology.json');
    expect(schemaErrors('hardware-topology', topology)).toEqual([]);
    expect(topology.gpus).toMatchObject({ status: 'unknown' });
    expect(topology.pciGpus).toMatchObject({ status: 'known' });
  });

  it('answers with the files it could not write, never throwing', async () => {
    block('capability-placement.json');
    const unwritten = await writeInspectionAtBoot(workstationConfig, { sink: createRecordStore(dirs), configPath: '/c', env: tools.env });
    expect(unwritten.map((u) => u.file)).toEqual(['capability-placement.json']);
    expect(read<HardwareTopology>('hardware-topology.json').schemaVersion).toBe(1);
  });
});
