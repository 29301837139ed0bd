// The control files through which a test steers the stand-ins while the
// sandbox runs: the harness writes them into <sandbox>/world, the stand-ins
// read them inside at /run/dubnium-sandbox/world. Missing or partial files
// mean the defaults; a file that is not JSON is an error the stand-in reports.
import { readFileSync } from 'node:fs';

export interface VllmControl {
  /** how long the EngineCore takes to "load the model"; the API server listens only after (vLLM answers nothing while it loads) */
  readyAfterMs: number;
  /**
   * healthy: /health answers 200 once loaded; engine-dead: the EngineCore dies right after loading
   * (a CUDA error) and /health answers 503; never-ready: the model never finishes loading, nothing listens
   */
  health: 'healthy' | 'engine-dead' | 'never-ready';
  /** the API server exits with `exitCode` this long after start, like a crash; null: keep running */
  exitAfterMs: number | null;
  exitCode: number;
  /** the served model name /v1/models lists (--served-model-name) */
  model: string;
  /**
   * vllm-project/vllm#55510: the EngineCore does not notice its API server's death (no death pipe) and,
   * busy in a CUDA call, does not act on SIGTERM: it keeps the GPU after the API server is gone and
   * the port is free, until something SIGKILLs it
   */
  engineSurvivesParent: boolean;
}

export const DEFAULT_VLLM: VllmControl = {
  readyAfterMs: 0,
  health: 'healthy',
  exitAfterMs: null,
  exitCode: 1,
  // the model of examples/workstation.config.json, the sandbox's config
  model: 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ',
  engineSurvivesParent: false,
};

export interface GpuProcessControl {
  pid: number;
  type: 'G' | 'C' | 'C+G';
  name: string;
  usedMiB: number;
}

export interface GpuControl {
  /** memory nvidia-smi reports for each graphics (G) holder of the GPU node: the X server, the compositor */
  graphicsMiB: number;
  /** memory nvidia-smi reports for each compute (C) holder: vLLM's EngineCore */
  computeMiB: number;
  /** processes listed whatever holds the node: a leaked display client, a stuck compute job */
  extraProcesses: GpuProcessControl[];
  /** fail like the real tool: its exit status and what it prints on stdout */
  failure: { exitCode: number; stdout: string } | null;
  /** answer only after this many milliseconds (a hanging driver) */
  delayMs: number;
}

export const DEFAULT_GPU: GpuControl = {
  graphicsMiB: 430,
  computeMiB: 17_900,
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
