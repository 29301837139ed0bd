// The plan's phase 0.3 ("capture hardware facts") and 1.3 ("module
// assertions") as checks of the config against what the machine shows.
// Pure: config and observed facts in, one verdict per check out; a check
// whose fact could not be read is `unknown`, never a pass.
import type { Config } from '../../schemas/config.ts';
import type { Fact, Facts, Gpu } from '../../schemas/facts.ts';
import type { Evidence } from '../../schemas/records.ts';
import type { ObservedTopology } from '../../schemas/topology.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { modelChecks } from './model-checks.ts';

export type { CheckStatus, DoctorCheck } from './doctor-check.ts';

const NVIDIA_VENDOR = '10de';

function evidenceOf<T>(name: string, fact: Fact<T>, lines: string[]): Evidence {
  return { fact: name, source: fact.source, lines: fact.status === 'unknown' ? [`unknown (${fact.code}): ${fact.reason}`] : lines };
}

const unknownCheck = <T>(id: string, title: string, name: string, fact: Extract<Fact<T>, { status: 'unknown' }>): DoctorCheck => ({
  id,
  title,
  status: 'unknown',
  message: `the fact ${name} could not be read: ${fact.reason}`,
  evidence: [evidenceOf(name, fact, [])],
});

const list = (xs: readonly number[]): string => (xs.length === 0 ? 'none' : xs.join(', '));
const gpuLine = (g: Gpu): string => `GPU ${g.index}: ${g.name ?? 'unnamed'} ${g.busId ?? ''} display ${g.displayActive === null ? 'unknown' : g.displayActive ? 'active' : 'inactive'}`.trim();

function presentGpus(config: Config, facts: Facts): DoctorCheck {
  const id = 'gpus-present';
  const title = 'hardware.presentGpus matches the GPUs nvidia-smi sees';
  if (facts.gpus.status === 'unknown') return unknownCheck(id, title, 'gpus', facts.gpus);
  const visible = facts.gpus.value.map((g) => g.index).sort((a, b) => a - b);
  const configured = [...config.hardware.presentGpus].sort((a, b) => a - b);
  const missing = configured.filter((i) => !visible.includes(i));
  const extra = visible.filter((i) => !configured.includes(i));
  const ok = missing.length === 0 && extra.length === 0;
  return {
    id,
    title,
    status: ok ? 'pass' : 'fail',
    message: ok
      ? `configured and visible: ${list(visible)}`
      : `configured ${list(configured)}, visible ${list(visible)}${missing.length ? `; not visible: ${list(missing)}` : ''}${extra.length ? `; visible but not configured: ${list(extra)}` : ''}; fix dubnium.hardware.presentGpus (planned GPUs go in plannedGpuCount)`,
    evidence: [evidenceOf('gpus', facts.gpus, facts.gpus.value.map(gpuLine))],
  };
}

function displayGpu(config: Config, facts: Facts): DoctorCheck {
  const id = 'display-gpu';
  const title = 'hardware.displayGpu drives the display';
  const wanted = config.hardware.displayGpu;
  if (facts.gpus.status === 'unknown') return unknownCheck(id, title, 'gpus', facts.gpus);
  const evidence = [evidenceOf('gpus', facts.gpus, facts.gpus.value.map(gpuLine))];
  const gpu = facts.gpus.value.find((g) => g.index === wanted);
  if (!gpu) return { id, title, status: 'fail', message: `GPU ${wanted} is not visible to nvidia-smi`, evidence };
  const drivers = facts.gpus.value.filter((g) => g.displayActive === true).map((g) => g.index);
  if (gpu.displayActive === true) return { id, title, status: 'pass', message: `GPU ${wanted} has an active display`, evidence };
  if (drivers.length > 0) return { id, title, status: 'fail', message: `the display is driven by GPU ${list(drivers)}, not by GPU ${wanted}; fix dubnium.hardware.displayGpu`, evidence };
  return { id, title, status: 'unknown', message: `no GPU drives a display right now (compute mode, or no monitor attached), so GPU ${wanted} cannot be confirmed`, evidence };
}

function computeGpus(config: Config, facts: Facts): DoctorCheck {
  const id = 'compute-gpus';
  const title = 'hardware.computeGpus are present';
  const notConfigured = config.hardware.computeGpus.filter((i) => !config.hardware.presentGpus.includes(i));
  if (notConfigured.length > 0) {
    return { id, title, status: 'fail', message: `compute GPUs ${list(notConfigured)} are not in presentGpus ${list(config.hardware.presentGpus)}`, evidence: [] };
  }
  if (facts.gpus.status === 'unknown') return unknownCheck(id, title, 'gpus', facts.gpus);
  const visible = facts.gpus.value.map((g) => g.index);
  const missing = config.hardware.computeGpus.filter((i) => !visible.includes(i));
  return {
    id,
    title,
    status: missing.length === 0 ? 'pass' : 'fail',
    message: missing.length === 0 ? `compute GPUs ${list(config.hardware.computeGpus)} are visible` : `compute GPUs ${list(missing)} are not visible to nvidia-smi`,
    evidence: [evidenceOf('gpus', facts.gpus, facts.gpus.value.map(gpuLine))],
  };
}

function pciGpus(config: Config, topology: ObservedTopology): DoctorCheck {
  const id = 'pci-gpus';
  const title = 'lspci shows as many NVIDIA GPUs as presentGpus names';
  if (topology.pciGpus.status === 'unknown') return unknownCheck(id, title, 'pciGpus', topology.pciGpus);
  const nvidia = topology.pciGpus.value.filter((d) => d.vendorId === NVIDIA_VENDOR);
  const ok = nvidia.length === config.hardware.presentGpus.length;
  return {
    id,
    title,
    status: ok ? 'pass' : 'fail',
    message: `lspci lists ${nvidia.length} NVIDIA display controller(s); presentGpus names ${config.hardware.presentGpus.length}${ok ? '' : ' (a GPU without a driver, or a wrong presentGpus)'}`,
    evidence: [evidenceOf('pciGpus', topology.pciGpus, topology.pciGpus.value.map((d) => `${d.address} [${d.vendorId}:${d.deviceId}] ${d.vendor ?? ''} ${d.name ?? ''}`.trim()))],
  };
}

function bootloader(topology: ObservedTopology): DoctorCheck {
  const id = 'bootloader';
  const title = 'the boot loader is systemd-boot with EFI variables';
  const fact = topology.bootloader;
  if (fact.status === 'unknown') return unknownCheck(id, title, 'bootloader', fact);
  const b = fact.value;
  const evidence = [evidenceOf('bootloader', fact, [`EFI boot: ${b.efiBoot}`, `boot loader: ${b.bootLoader ?? 'unknown'}`, `ESP: ${b.espPath ?? 'not found'}`, ...b.notes])];
  if (!b.efiBoot) return { id, title, status: 'fail', message: 'not booted with EFI: there are no EFI variables, and systemd-boot cannot be used', evidence };
  if (b.systemdBootInUse === null) return { id, title, status: 'unknown', message: 'bootctl does not say which boot loader started this boot', evidence };
  return {
    id,
    title,
    status: b.systemdBootInUse ? 'pass' : 'fail',
    message: b.systemdBootInUse ? `${b.bootLoader ?? 'systemd-boot'} with EFI variables` : `the running boot loader is ${b.bootLoader ?? 'not systemd-boot'}`,
    evidence,
  };
}

function persistencePaths(config: Config, facts: Facts): DoctorCheck[] {
  const title = 'persistence paths exist';
  if (facts.paths.status === 'unknown') return [unknownCheck('persistence-paths', title, 'paths', facts.paths)];
  const paths = facts.paths;
  return config.persistencePaths.map((path) => {
    const state = paths.value.find((p) => p.path === path);
    const evidence = [evidenceOf('paths', paths, state ? [`${path}: exists=${state.exists} directory=${String(state.isDirectory)} free=${state.freeBytes === null ? 'unknown' : `${Math.floor(state.freeBytes / 1024 ** 2)} MiB`}`] : [`${path}: not observed`])];
    const id = `persistence-path:${path}`;
    if (!state) return { id, title: `${path} exists`, status: 'unknown', message: `${path} was not observed`, evidence };
    const ok = state.exists && state.isDirectory === true;
    return { id, title: `${path} exists`, status: ok ? 'pass' : 'fail', message: ok ? `${path} is a folder` : `${path} ${state.exists ? 'is not a folder' : 'does not exist'}`, evidence };
  });
}

function vllmModel(config: Config): DoctorCheck {
  const ok = !config.vllm.enable || (config.vllm.model !== null && config.vllm.model.trim() !== '');
  return {
    id: 'vllm-model',
    title: 'vllm.model is set when vLLM is enabled',
    status: ok ? 'pass' : 'fail',
    message: config.vllm.enable ? (ok ? `vLLM serves ${config.vllm.model}` : 'vLLM is enabled but no model is set; set dubnium.vllm.model') : 'vLLM is disabled',
    evidence: [],
  };
}

/**
 * The audio guard needs every session user's published audio state; an
 * unknown one blocks compute, so doctor names what to change (the reason
 * names the publisher unit, the file or the sound server).
 */
function audioStreamsReadable(facts: Facts): DoctorCheck {
  const id = 'audio-streams';
  const title = "every session user's sound server can be asked for playing streams (the audio-active guard)";
  const fact = facts.audioStreams;
  if (fact.status === 'unknown') {
    return { id, title, status: 'fail', message: `compute stays blocked until this is fixed: ${fact.reason}`, evidence: [evidenceOf('audioStreams', fact, [])] };
  }
  const lines = fact.value.map((s) => `stream ${s.id} ${s.application ?? '?'} pid ${s.pid ?? '?'} ${s.corked === true ? 'corked' : s.running ? 'running' : 'not running'}`);
  return { id, title, status: 'pass', message: `read: ${fact.value.length} stream${fact.value.length === 1 ? '' : 's'}`, evidence: [evidenceOf('audioStreams', fact, lines)] };
}

export function doctorChecks(config: Config, facts: Facts, topology: ObservedTopology): DoctorCheck[] {
  return [
    presentGpus(config, facts),
    pciGpus(config, topology),
    displayGpu(config, facts),
    computeGpus(config, facts),
    bootloader(topology),
    ...persistencePaths(config, facts),
    vllmModel(config),
    ...modelChecks(config, facts),
    audioStreamsReadable(facts),
  ];
}
