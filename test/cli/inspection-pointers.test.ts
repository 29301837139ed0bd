// `mode status` and `mode doctor` point at the plan's phase 4 files
// (capability-placement.json, hardware-topology.json): their paths, and what
// each holds or why it is not there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInspectionRecords } from '../../effects/records/inspection-records.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { Gpu } from '../../schemas/facts.ts';
import type { ObservedTopology } from '../../schemas/topology.ts';
import { workstationConfig } from '../engine/support/config.ts';
import { runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';

let dirs: CliDirs;
beforeEach(() => {
  dirs = cliDirs();
  writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
});
afterEach(() => dirs.cleanup());

const source = { kind: 'simulated', name: 'inspection-pointers' } as const;
const at = new Date().toISOString();
const gpu: Gpu = { index: 0, busId: '00000000:01:00.0', name: 'NVIDIA RTX 4000 SFF Ada Generation', uuid: 'GPU-1', memoryUsedMiB: 1, memoryTotalMiB: 20475, displayActive: true, migEnabled: false, processes: [] };
const topology: ObservedTopology = {
  observedAt: at,
  pciDevices: { status: 'known', value: [], source, readAt: at },
  pciGpus: { status: 'known', value: [], source, readAt: at },
  bootloader: { status: 'unknown', code: 'tool-missing', reason: 'bootctl not found', source, readAt: at },
};
const sink = () => createRecordStore({ runtimeDir: dirs.runtimeDir, stateDir: dirs.stateDir });

describe('mode status', () => {
  it('names both files and says they are not written yet on a fresh machine', async () => {
    const { stdout } = await runCli(['status'], { env: dirs.env });
    expect(stdout).toContain(`${join(dirs.runtimeDir, 'capability-placement.json')}  not written yet (mode boot writes it at boot`);
    expect(stdout).toContain(`${join(dirs.runtimeDir, 'hardware-topology.json')}  not written yet`);
  });

  it('says what they hold once written, and when', async () => {
    expect(await writeInspectionRecords(sink(), { config: workstationConfig, configPath: dirs.env.DUBNIUM_CONFIG!, gpus: { status: 'known', value: [gpu], source, readAt: at }, topology, now: new Date() })).toEqual([]);
    const { stdout } = await runCli(['status'], { env: dirs.env });
    expect(stdout).toMatch(/inspect\s+\S+capability-placement\.json {2}studio local, written /);
    expect(stdout).toMatch(/hardware-topology\.json {2}1 GPU, 0 PCI display controllers, written /);
  });

  it('names an unreadable file and why', async () => {
    writeFileSync(join(dirs.runtimeDir, 'hardware-topology.json'), '{"schemaVersion": 9}');
    const { stdout } = await runCli(['status'], { env: dirs.env });
    expect(stdout).toMatch(/hardware-topology\.json {2}unreadable: /);
  });
});

describe('mode doctor', () => {
  it('ends with what the controller recorded of the hardware, file by file', async () => {
    const { stdout } = await runCli(['doctor'], { env: { ...dirs.env, PATH: '/nonexistent' } });
    const tail = stdout.trimEnd().split('\n').slice(-2);
    expect(tail[0]).toBe(`recorded: ${join(dirs.runtimeDir, 'capability-placement.json')}  not written yet (mode boot writes it at boot, every controller run refreshes it)`);
    expect(tail[1]).toMatch(/^ {10}\S+hardware-topology\.json {2}not written yet/);
  });
});
