// The fit arithmetic of the model-does-not-fit guard: the KV allowance is
// the product it claims, more memory or a higher utilization never turns a
// fit into a misfit, more weights or a longer context never turn a misfit
// into a fit, and the verdict is exactly needed ≤ budget.
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GPU_MEMORY_UTILIZATION, dtypeBytes, flagValue, gpuMemoryUtilization, kvCacheBytes, kvDtypeBytes, maxModelLenArg, modelFit, type FitInputs } from '../../../predicates/model-fit.ts';

const GiB = 1024 ** 3;
const inputsArb: fc.Arbitrary<FitInputs> = fc.record({
  weightBytes: fc.integer({ min: 0, max: 400 * GiB }),
  maxModelLen: fc.integer({ min: 1, max: 1_048_576 }),
  layers: fc.integer({ min: 1, max: 128 }),
  kvHeads: fc.integer({ min: 1, max: 128 }),
  headDim: fc.integer({ min: 1, max: 512 }),
  kvDtypeBytes: fc.constantFrom(1, 2, 4),
  gpuTotalBytes: fc.integer({ min: 1, max: 8 * 80 }).map((g) => g * GiB),
  utilization: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

describe('modelFit', () => {
  fcTest.prop([inputsArb])('KV = len × layers × kv heads × head dim × 2 × dtype bytes; fits ⇔ weights + KV ≤ total × utilization', (i) => {
    const r = modelFit(i);
    expect(r.kvCacheBytes).toBe(i.maxModelLen * i.layers * i.kvHeads * i.headDim * 2 * i.kvDtypeBytes);
    expect(r.neededBytes).toBe(i.weightBytes + r.kvCacheBytes);
    expect(r.budgetBytes).toBe(i.gpuTotalBytes * i.utilization);
    expect(r.fits).toBe(i.weightBytes + r.kvCacheBytes <= i.gpuTotalBytes * i.utilization);
  });

  fcTest.prop([inputsArb, fc.integer({ min: 0, max: 80 * GiB }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'more GPU memory or a higher utilization never makes a fitting model misfit',
    (i, extraMemory, utilizationShare) => {
      if (!modelFit(i).fits) return;
      expect(modelFit({ ...i, gpuTotalBytes: i.gpuTotalBytes + extraMemory }).fits).toBe(true);
      expect(modelFit({ ...i, utilization: i.utilization + (1 - i.utilization) * utilizationShare }).fits).toBe(true);
    },
  );

  fcTest.prop([inputsArb, fc.integer({ min: 0, max: 80 * GiB }), fc.integer({ min: 0, max: 1_000_000 })])(
    'more weights or a longer context never makes a misfit fit',
    (i, extraWeights, extraTokens) => {
      if (modelFit(i).fits) return;
      expect(modelFit({ ...i, weightBytes: i.weightBytes + extraWeights }).fits).toBe(false);
      expect(modelFit({ ...i, maxModelLen: i.maxModelLen + extraTokens }).fits).toBe(false);
    },
  );

  it('the v1 numbers: Qwen2.5-Coder-14B in bf16 does not fit a 24 GiB card; the AWQ variant does', () => {
    const qwen14b = { maxModelLen: 32_768, layers: 48, kvHeads: 8, headDim: 128, kvDtypeBytes: 2, gpuTotalBytes: 24_564 * 1024 ** 2, utilization: 0.9 };
    // 14.77e9 parameters × 2 bytes; the AWQ bundle is about 9.98e9 bytes of tensors
    expect(modelFit({ ...qwen14b, weightBytes: 29_540_000_000 }).fits).toBe(false);
    const awq = modelFit({ ...qwen14b, weightBytes: 9_980_000_000 });
    expect(awq.kvCacheBytes).toBe(6 * GiB);
    expect(awq.fits).toBe(true);
  });
});

describe('vLLM flags in extraArgs', () => {
  it('reads --flag value, --flag=value and the underscore spelling; the last one wins', () => {
    expect(flagValue(['--max-model-len', '8192'], '--max-model-len')).toBe('8192');
    expect(flagValue(['--max-model-len=4096'], '--max-model-len')).toBe('4096');
    expect(flagValue(['--max_model_len', '2048', '--max-model-len', '1024'], '--max-model-len')).toBe('1024');
    expect(flagValue(['--enforce-eager'], '--max-model-len')).toBeNull();
    expect(flagValue(['--max-model-len'], '--max-model-len')).toEqual({ missingValue: true });
    expect(flagValue(['--max-model-len', '--enforce-eager'], '--max-model-len')).toEqual({ missingValue: true });
  });

  it('defaults --gpu-memory-utilization to 0.9 and refuses values vLLM would refuse', () => {
    expect(gpuMemoryUtilization([])).toEqual({ ok: true, value: DEFAULT_GPU_MEMORY_UTILIZATION });
    expect(gpuMemoryUtilization(['--gpu-memory-utilization', '0.70'])).toEqual({ ok: true, value: 0.7 });
    for (const bad of ['0', '1.5', 'lots', '-0.5', '']) {
      const r = gpuMemoryUtilization([`--gpu-memory-utilization=${bad}`]);
      expect(r.ok, bad).toBe(false);
    }
  });

  it('reads --max-model-len only as a plain number', () => {
    expect(maxModelLenArg([])).toEqual({ ok: true, value: null });
    expect(maxModelLenArg(['--max-model-len', '16384'])).toEqual({ ok: true, value: 16_384 });
    const r = maxModelLenArg(['--max-model-len', '16k']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/plain number of tokens/);
  });

  it('sizes the KV element from --kv-cache-dtype, else --dtype, else torch_dtype (float32 runs as float16)', () => {
    expect(kvDtypeBytes([], 'bfloat16')).toEqual({ ok: true, value: 2 });
    expect(kvDtypeBytes([], 'float32')).toEqual({ ok: true, value: 2 });
    expect(kvDtypeBytes(['--dtype', 'float32'], 'bfloat16')).toEqual({ ok: true, value: 4 });
    expect(kvDtypeBytes(['--kv-cache-dtype', 'fp8', '--dtype', 'float32'], 'bfloat16')).toEqual({ ok: true, value: 1 });
    expect(kvDtypeBytes(['--kv-cache-dtype', 'auto'], 'float16')).toEqual({ ok: true, value: 2 });
    expect(kvDtypeBytes([], null).ok).toBe(false);
    expect(kvDtypeBytes([], 'int4').ok).toBe(false);
  });
});

describe('the edges of the fit and of the flags (exact words, as mode guards shows them)', () => {
  it('a model that needs exactly the budget fits', () => {
    const shape = { maxModelLen: 1024, layers: 2, kvHeads: 2, headDim: 64, kvDtypeBytes: 2 };
    const weightBytes = 1_000_000;
    expect(modelFit({ ...shape, weightBytes, gpuTotalBytes: weightBytes + kvCacheBytes(shape), utilization: 1 }).fits).toBe(true);
  });

  it('the underscore spelling alone is read', () => {
    expect(flagValue(['--max_model_len', '2048'], '--max-model-len')).toBe('2048');
    expect(flagValue(['--gpu_memory_utilization=0.5'], '--gpu-memory-utilization')).toBe('0.5');
  });

  it('--gpu-memory-utilization takes a plain decimal in (0, 1], and says what it needs', () => {
    for (const [raw, value] of [['.5', 0.5], ['1', 1], ['1.0', 1]] as const) expect(gpuMemoryUtilization([`--gpu-memory-utilization=${raw}`])).toEqual({ ok: true, value });
    for (const bad of ['0x1', '1e-1', ' 0.5', '0.5 ']) {
      expect(gpuMemoryUtilization([`--gpu-memory-utilization=${bad}`])).toEqual({
        ok: false,
        message: `vllm.extraArgs has --gpu-memory-utilization ${JSON.stringify(bad)}; vLLM needs a fraction in (0, 1], e.g. 0.9`,
      });
    }
    expect(gpuMemoryUtilization(['--gpu-memory-utilization'])).toEqual({ ok: false, message: 'vllm.extraArgs has --gpu-memory-utilization without a value' });
  });

  it('--max-model-len takes digits only, and says so when it has no value', () => {
    for (const bad of ['x123', '0x10', '1e4']) expect(maxModelLenArg(['--max-model-len', bad]).ok, bad).toBe(false);
    expect(maxModelLenArg(['--max-model-len'])).toEqual({ ok: false, message: 'vllm.extraArgs has --max-model-len without a value' });
  });

  it('every dtype spelling vLLM accepts is sized; others are not', () => {
    for (const n of ['float16', 'half', 'fp16', 'bfloat16', 'bf16', 'BF16']) expect(dtypeBytes(n), n).toBe(2);
    for (const n of ['float32', 'float', 'fp32']) expect(dtypeBytes(n), n).toBe(4);
    for (const n of ['fp8', 'fp8_e4m3', 'fp8_e5m2']) expect(dtypeBytes(n), n).toBe(1);
    for (const n of ['int4', 'e4m3fp8', '']) expect(dtypeBytes(n), n).toBeNull();
  });

  it('the KV element size fails with words that name the flag or the file', () => {
    expect(kvDtypeBytes(['--kv-cache-dtype'], 'bfloat16')).toEqual({ ok: false, message: 'vllm.extraArgs has --kv-cache-dtype without a value' });
    expect(kvDtypeBytes(['--dtype', 'int4'], 'bfloat16')).toEqual({ ok: false, message: 'vllm.extraArgs has --dtype "int4", a dtype the guard cannot size' });
    expect(kvDtypeBytes([], null)).toEqual({ ok: false, message: 'config.json names no torch_dtype and extraArgs no --dtype, so the KV cache element size is unknown' });
    expect(kvDtypeBytes([], 'int4')).toEqual({ ok: false, message: 'config.json\'s torch_dtype "int4" is a dtype the guard cannot size; pass --dtype in vllm.extraArgs' });
  });
});
