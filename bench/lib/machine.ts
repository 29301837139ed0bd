// What the numbers were measured on: they mean little without the machine,
// the Node binary and how loaded the machine was at the time.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  kernel: string;
  memoryMiB: number;
  node: string;
  nodePath: string;
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    // the cpuinfo line names the CPU even where os.cpus() gives a generic model
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // no /proc: keep os.cpus()'s answer
  }
  return {
    cpuModel: model,
    cores: cpus().length,
    kernel: release(),
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    nodePath: process.execPath,
  };
}

/** 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = loadavg();
  return [one ?? 0, five ?? 0, fifteen ?? 0];
}
