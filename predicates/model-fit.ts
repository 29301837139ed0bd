// Does the model fit the compute GPUs? The arithmetic of the
// model-does-not-fit guard, with nothing but numbers in and out:
//
//   needed = weight bytes + KV cache for one sequence of max model length
//   KV     = maxModelLen × layers × kvHeads × headDim × 2 (K and V) × kvDtypeBytes
//   budget = Σ memory.total of the compute GPUs × gpu-memory-utilization
//   fits  ⇔  needed ≤ budget
//
// vLLM refuses to start when the memory left for KV cache after loading the
// weights cannot hold one max-length sequence; this is that check, minus the
// activation and CUDA-graph memory vLLM also reserves (a few GiB at most), so
// a model that fails here certainly fails in vLLM, and one that passes
// almost always loads.
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

export interface FitInputs {
  weightBytes: number;
  maxModelLen: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  kvDtypeBytes: number;
  gpuTotalBytes: number;
  utilization: number;
}

export interface FitResult {
  kvCacheBytes: number;
  neededBytes: number;
  budgetBytes: number;
  fits: boolean;
}

export const kvCacheBytes = (i: Pick<FitInputs, 'maxModelLen' | 'layers' | 'kvHeads' | 'headDim' | 'kvDtypeBytes'>): number =>
  i.maxModelLen * i.layers * i.kvHeads * i.headDim * 2 * i.kvDtypeBytes;

export function modelFit(inputs: FitInputs): FitResult {
  const kv = kvCacheBytes(inputs);
  const neededBytes = inputs.weightBytes + kv;
  const budgetBytes = inputs.gpuTotalBytes * inputs.utilization;
  return { kvCacheBytes: kv, neededBytes, budgetBytes, fits: neededBytes <= budgetBytes };
}

/** The arithmetic as lines an operator can check by hand. */
export function describeFit(inputs: FitInputs, result: FitResult): string[] {
  return [
    `weights: ${gib(inputs.weightBytes)} (${inputs.weightBytes} bytes of tensors in the safetensors headers)`,
    `KV cache: ${inputs.maxModelLen} tokens × ${inputs.layers} layers × ${inputs.kvHeads} KV heads × ${inputs.headDim} head dim × 2 (K and V) × ${inputs.kvDtypeBytes} bytes = ${gib(result.kvCacheBytes)}`,
    `needed: ${gib(result.neededBytes)}`,
    `budget: ${gib(inputs.gpuTotalBytes)} of compute GPU memory × ${inputs.utilization} gpu-memory-utilization = ${gib(result.budgetBytes)}`,
  ];
}

export const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/** The value of a vLLM flag in an argument list (`--flag v` or `--flag=v`, `-` or `_` spelling); the last one wins, as in argparse. */
export function flagValue(args: readonly string[], flag: string): string | null | { missingValue: true } {
  const spellings = [flag, `--${flag.slice(2).replaceAll('-', '_')}`];
  let value: string | null | { missingValue: true } = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of spellings) {
      if (arg === name) {
        const next = args[i + 1];
        value = next === undefined || next.startsWith('--') ? { missingValue: true } : next;
      } else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** --gpu-memory-utilization from extraArgs, else vLLM's default 0.9. */
export function gpuMemoryUtilization(args: readonly string[]): Parsed<number> {
  const raw = flagValue(args, '--gpu-memory-utilization');
  if (raw === null) return { ok: true, value: DEFAULT_GPU_MEMORY_UTILIZATION };
  if (typeof raw !== 'string') return { ok: false, message: 'vllm.extraArgs has --gpu-memory-utilization without a value' };
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || !(value > 0 && value <= 1)) {
    return { ok: false, message: `vllm.extraArgs has --gpu-memory-utilization ${JSON.stringify(raw)}; vLLM needs a fraction in (0, 1], e.g. 0.9` };
  }
  return { ok: true, value };
}

/** --max-model-len from extraArgs (a plain number), or null when it is not given. */
export function maxModelLenArg(args: readonly string[]): Parsed<number | null> {
  const raw = flagValue(args, '--max-model-len');
  if (raw === null) return { ok: true, value: null };
  if (typeof raw !== 'string') return { ok: false, message: 'vllm.extraArgs has --max-model-len without a value' };
  if (!/^[1-9]\d{0,9}$/.test(raw)) {
    return { ok: false, message: `vllm.extraArgs has --max-model-len ${JSON.stringify(raw)}; the guard reads only a plain number of tokens, e.g. 32768` };
  }
  return { ok: true, value: Number(raw) };
}

/** Bytes per element of a dtype name as vLLM's --dtype / --kv-cache-dtype and config.json's torch_dtype spell it. */
export function dtypeBytes(name: string): number | null {
  const n = name.toLowerCase();
  if (['float16', 'half', 'fp16', 'bfloat16', 'bf16'].includes(n)) return 2;
  if (['float32', 'float', 'fp32'].includes(n)) return 4;
  if (n.startsWith('fp8')) return 1;
  return null;
}

/**
 * Bytes per KV-cache element: --kv-cache-dtype unless "auto", else the model
 * dtype: --dtype unless "auto", else config.json's torch_dtype, where vLLM's
 * "auto" runs a float32 checkpoint in float16.
 */
export function kvDtypeBytes(args: readonly string[], torchDtype: string | null): Parsed<number> {
  const kv = flagValue(args, '--kv-cache-dtype');
  const dtype = flagValue(args, '--dtype');
  for (const [flag, raw] of [['--kv-cache-dtype', kv], ['--dtype', dtype]] as const) {
    if (raw === null || raw === 'auto') continue;
    if (typeof raw !== 'string') return { ok: false, message: `vllm.extraArgs has ${flag} without a value` };
    const bytes = dtypeBytes(raw);
    return bytes === null ? { ok: false, message: `vllm.extraArgs has ${flag} ${JSON.stringify(raw)}, a dtype the guard cannot size` } : { ok: true, value: bytes };
  }
  if (torchDtype === null) return { ok: false, message: 'config.json names no torch_dtype and extraArgs no --dtype, so the KV cache element size is unknown' };
  const bytes = dtypeBytes(torchDtype);
  if (bytes === null) return { ok: false, message: `config.json's torch_dtype ${JSON.stringify(torchDtype)} is a dtype the guard cannot size; pass --dtype in vllm.extraArgs` };
  return { ok: true, value: Math.min(bytes, 2) };
}
