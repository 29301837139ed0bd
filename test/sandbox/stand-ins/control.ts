// The control files through which a test steers the stand-ins while the
// sandbox runs: the harness writes them into <sandbox>/world, the stand-ins
// read them inside at /run/dubnium-sandbox/world. Missing or partial files
// mean the defaults; a file that is not JSON is an error the stand-in reports.
import { readFileSync } from 'node:fs';

export interface VllmControl {
  /** milliseconds after start before the server listens (vLLM answers nothing while it loads the model) */
  readyAfterMs: number;
  /** healthy: /health answers 200; failing: /health answers `failStatus`; never-ready: the server never listens */
  health: 'healthy' | 'failing' | 'never-ready';
  failStatus: number;
  /** exit with `exitCode` this long after start, like a crash (CUDA out of memory); null: keep running */
  exitAfterMs: number | null;
  exitCode: number;
  /** the model id /v1/models reports */
  model: string;
}

export const DEFAULT_VLLM: VllmControl = {
  readyAfterMs: 0,
  health: 'healthy',
  failStatus: 500,
  exitAfterMs: null,
  exitCode: 1,
  model: 'Qwen/Qwen2.5-Coder-14B-Instruct',
};

export interface GpuProcessControl {
  pid: number;
  type: 'G' | 'C' | 'C+G';
  name: string;
  usedMiB: number;
}

export interface GpuControl {
  /** memory of the display server (the display-manager stand-in's process) */
  displayServerMiB: number;
  /** memory of the leader of each graphical session on seat0 (its compositor) */
  sessionMiB: number;
  /** memory of each process of vllm.service */
  vllmMiB: number;
  /** processes listed whatever runs: a leaked display client, a stuck compute job */
  extraProcesses: GpuProcessControl[];
  /** fail like the real tool: its exit status and what it prints on stdout */
  failure: { exitCode: number; stdout: string } | null;
  /** answer only after this many milliseconds (a hanging driver) */
  delayMs: number;
}

export const DEFAULT_GPU: GpuControl = {
  displayServerMiB: 410,
  sessionMiB: 451,
  vllmMiB: 17_900,
  extraProcesses: [],
  failure: null,
  delayMs: 0,
};

/** What nvidia-smi prints (on stdout, exit status 9) when the driver is not loaded. */
export const DRIVER_NOT_LOADED = {
  exitCode: 9,
  stdout:
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n",
} as const;

export function readControl<T extends object>(path: string, defaults: T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return defaults;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must hold a JSON object, not ${text.slice(0, 80)}`);
  }
  return { ...defaults, ...(parsed as Partial<T>) };
}

export const CONTROL_FILES = { vllm: 'vllm.json', gpu: 'gpu.json' } as const;
