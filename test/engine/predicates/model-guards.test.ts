// The model-missing and model-does-not-fit guards of compute: they block
// before any step when the configured model is not a complete bundle or does
// not fit the compute GPUs, say why with the arithmetic as evidence, and
// fail closed on facts they cannot read.
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectModel } from '../../../effects/observe/collect-model.ts';
import { observeContext } from '../../../effects/observe/observe-facts.ts';
import { decide } from '../../../predicates/decide.ts';
import type { Config } from '../../../schemas/config.ts';
import type { Facts, ModelBundle } from '../../../schemas/facts.ts';
import type { GuardReport, GuardVerdict } from '../../../schemas/records.ts';
import { simulatedModelBundle } from '../../../simulation/model-bundle.ts';
import { layerTensors, modelConfig, writeModelBundle } from '../../support/safetensors-bundle.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown } from '../support/facts.ts';

const desktop = factsFor('desktop', config);
const toCompute = (facts: Facts, c: Config = config): GuardReport => decide('compute', facts, c).guards;
const verdict = (report: GuardReport, code: string): GuardVerdict => {
  const v = report.verdicts.find((x) => x.code === code);
  if (!v) throw new Error(`no verdict ${code}`);
  return v;
};
const hardFailures = (report: GuardReport) => report.verdicts.filter((v) => !v.passed && v.severity === 'hard').map((v) => v.code);
const seeded = (): ModelBundle => {
  const b = simulatedModelBundle(config);
  if (!b) throw new Error('the v1 config serves a model');
  return b;
};
const withBundle = (patch: (b: ModelBundle) => ModelBundle, facts: Facts = desktop): Facts => ({ ...facts, model: known(patch(seeded()), 'model') });

describe('model-missing', () => {
  it('passes on the seeded bundle of the configured model', () => {
    expect(verdict(toCompute(desktop), 'model-missing')).toMatchObject({ passed: true, severity: 'hard', message: `${config.vllm.model} is a complete bundle in ${config.vllm.modelStore}` });
  });

  it('blocks when the bundle folder does not exist, pointing at the seeding runbook', () => {
    const report = toCompute(withBundle((b) => ({ ...b, directoryExists: false, config: null, weightIndex: null, weightFiles: [] })));
    expect(hardFailures(report)).toContain('model-missing');
    expect(verdict(report, 'model-missing').message).toBe(
      `${config.vllm.modelStore}/${config.vllm.model} does not exist (or is not a folder): the model ${config.vllm.model} has not been seeded into the model store; see docs/runbooks/model-seeding.md`,
    );
  });

  it('blocks on a shard the index names that is absent, and on one cut short', () => {
    const missing = toCompute(withBundle((b) => ({ ...b, weightFiles: b.weightFiles.map((w, i) => (i === 1 ? { ...w, exists: false, sizeBytes: null, dataEndBytes: null, tensorBytes: null, tensors: null, dtypes: [] } : w)) })));
    expect(verdict(missing, 'model-missing').message).toMatch(/model-00002-of-00003\.safetensors, named by model\.safetensors\.index\.json, does not exist/);
    const cut = toCompute(withBundle((b) => ({ ...b, weightFiles: b.weightFiles.map((w, i) => (i === 2 ? { ...w, sizeBytes: 1000 } : w)) })));
    expect(verdict(cut, 'model-missing').message).toMatch(/model-00003-of-00003\.safetensors is 1000 bytes but its header says a complete file is \d+: it is truncated/);
    // an incomplete bundle cannot be sized either: that guard fails closed, not with a made-up number
    expect(verdict(cut, 'model-does-not-fit')).toMatchObject({ passed: false, missingFact: 'model.weightFiles' });
  });

  it('blocks on a bundle without config.json or without any weights', () => {
    expect(verdict(toCompute(withBundle((b) => ({ ...b, config: null }))), 'model-missing').message).toMatch(/config\.json does not exist/);
    expect(verdict(toCompute(withBundle((b) => ({ ...b, weightIndex: null, weightFiles: [] }))), 'model-missing').message).toMatch(/neither model\.safetensors\.index\.json nor model\.safetensors/);
  });

  it('fails closed, naming the fact, when the bundle could not be read', () => {
    const report = toCompute({ ...desktop, model: unknown('model') });
    expect(report.verdict).toBe('hard-block');
    expect(verdict(report, 'model-missing')).toMatchObject({ passed: false, missingFact: 'model' });
    expect(verdict(report, 'model-does-not-fit')).toMatchObject({ passed: false, missingFact: 'model' });
  });

  it('does not judge a bundle observed for another model', () => {
    const report = toCompute(withBundle((b) => ({ ...b, model: 'Other/Model' })));
    expect(verdict(report, 'model-missing')).toMatchObject({ passed: false, missingFact: 'model' });
  });

  it('passes when vLLM is disabled, and leaves an unset model to vllm-model-unset', () => {
    const off = withConfig((c) => (c.vllm.enable = false));
    const offFacts = factsFor('desktop', off);
    expect(verdict(toCompute(offFacts, off), 'model-missing')).toMatchObject({ passed: true, message: 'vLLM is disabled: compute loads no model' });
    expect(verdict(toCompute(offFacts, off), 'model-does-not-fit').passed).toBe(true);
    const unset = withConfig((c) => (c.vllm.model = null));
    expect(hardFailures(toCompute(factsFor('desktop', unset), unset))).toEqual(['vllm-model-unset']);
  });
});

describe('model-does-not-fit', () => {
  it('passes for the seeded ~10 GB bundle on a 24 GiB card, with the arithmetic as evidence', () => {
    const v = verdict(toCompute(desktop), 'model-does-not-fit');
    expect(v.passed).toBe(true);
    const fit = v.evidence.find((e) => e.fact === 'model-fit');
    expect(fit?.lines).toEqual([
      'weights: 9.29 GiB (9980000000 bytes of tensors in the safetensors headers)',
      `KV cache: ${maxLen(config)} tokens × 48 layers × 8 KV heads × 128 head dim × 2 (K and V) × 2 bytes = ${((maxLen(config) * 48 * 8 * 128 * 2 * 2) / 1024 ** 3).toFixed(2)} GiB`,
      expect.stringMatching(/^needed: /),
      `budget: 23.99 GiB of compute GPU memory × ${utilization(config)} gpu-memory-utilization = ${((24_564 * 1024 ** 2 * utilization(config)) / 1024 ** 3).toFixed(2)} GiB`,
    ]);
  });

  it('blocks the unquantized 14B (about 29.5 GB of bf16 weights) on the same card, saying what to change', () => {
    const report = toCompute(withBundle((b) => ({ ...b, weightFiles: b.weightFiles.map((w, i) => ({ ...w, tensorBytes: i === 0 ? 29_540_000_000 : 0 })) })));
    expect(hardFailures(report)).toEqual(['model-does-not-fit']);
    expect(verdict(report, 'model-does-not-fit').message).toMatch(/needs 3\d\.\d\d GiB \(weights 27\.51 GiB \+ KV cache \d+\.\d\d GiB for \d+ tokens\), more than the \d+\.\d\d GiB vLLM may use of GPU 0 .*quantized variant or lower --max-model-len/);
  });

  it('blocks when the KV cache of a long context does not fit, and --max-model-len in extraArgs fixes it', () => {
    const long = withBundle((b) => ({ ...b, config: { ...b.config!, maxPositionEmbeddings: 131_072 } }));
    const noLimit = withConfig((c) => (c.vllm.extraArgs = []));
    expect(hardFailures(toCompute(long, noLimit))).toEqual(['model-does-not-fit']);
    const limited = withConfig((c) => (c.vllm.extraArgs = ['--max-model-len', '16384']));
    expect(verdict(toCompute(long, limited), 'model-does-not-fit').passed).toBe(true);
  });

  it('a lower --gpu-memory-utilization can make a fitting model misfit', () => {
    const tight = withConfig((c) => (c.vllm.extraArgs = ['--gpu-memory-utilization=0.5', '--max-model-len', '32768']));
    expect(hardFailures(toCompute(desktop, tight))).toEqual(['model-does-not-fit']);
  });

  it('sums the memory of every compute GPU (tensor parallel over two cards)', () => {
    const big = withBundle((b) => ({ ...b, weightFiles: [{ ...b.weightFiles[0]!, tensorBytes: 30_000_000_000 }] }));
    const one = toCompute(big);
    expect(verdict(one, 'model-does-not-fit').passed).toBe(false);
    const two = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [0, 1];
    });
    const facts: Facts = { ...factsFor('desktop', two), model: big.model, gpus: known([gpu(0), gpu(1)]) };
    expect(verdict(toCompute(facts, two), 'model-does-not-fit').passed).toBe(true);
  });

  it('fails closed when the GPU fact or a compute GPU memory is unknown, or config.json lacks a number', () => {
    expect(verdict(toCompute({ ...desktop, gpus: unknown('gpus') }), 'model-does-not-fit')).toMatchObject({ passed: false, missingFact: 'gpus' });
    const noTotal = toCompute({ ...desktop, gpus: known([{ ...gpu(0), memoryTotalMiB: null }]) });
    expect(verdict(noTotal, 'model-does-not-fit')).toMatchObject({ passed: false, missingFact: 'gpus.0.memoryTotalMiB' });
    const noLayers = toCompute(withBundle((b) => ({ ...b, config: { ...b.config!, numHiddenLayers: null } })));
    expect(verdict(noLayers, 'model-does-not-fit').message).toMatch(/fails closed: .*config\.json has no num_hidden_layers/);
  });

  it('blocks on extraArgs it cannot read, naming the flag', () => {
    const bad = withConfig((c) => (c.vllm.extraArgs = ['--max-model-len', '32k']));
    expect(verdict(toCompute(desktop, bad), 'model-does-not-fit').message).toMatch(/--max-model-len "32k"; the guard reads only a plain number/);
  });
});

describe('the model guards over a real bundle on disk', () => {
  const onDisk = async (prepare: (dir: string) => void, extraArgs: string[] = []): Promise<GuardReport> => {
    const store = mkdtempSync(join(tmpdir(), 'dubnium-models-'));
    try {
      const c = withConfig((x) => {
        x.vllm.model = 'Test-Org/Tiny-Coder';
        x.vllm.modelStore = store;
        x.vllm.extraArgs = extraArgs;
        x.persistencePaths = [store];
      });
      prepare(join(store, 'Test-Org/Tiny-Coder'));
      const model = await collectModel(observeContext(c));
      return toCompute({ ...factsFor('desktop', c), model }, c);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  };

  it('passes a complete generated bundle, blocks it with a shard deleted', async () => {
    const ok = await onDisk((dir) => writeModelBundle(dir));
    expect(verdict(ok, 'model-missing').passed).toBe(true);
    expect(verdict(ok, 'model-does-not-fit').passed).toBe(true);
    const broken = await onDisk((dir) => {
      const written = writeModelBundle(dir);
      unlinkSync(join(dir, written.files[0]!));
    });
    expect(hardFailures(broken)).toEqual(['model-missing', 'model-does-not-fit']);
  });

  it('blocks a tiny bundle whose config declares a context too long for the card', async () => {
    // 2 layers × 2 KV heads × 16 head dim × 2 × 2 bytes = 256 bytes a token; 2^27 tokens are 32 GiB
    const report = await onDisk((dir) => writeModelBundle(dir, { shards: [layerTensors(0)], sharded: false, config: modelConfig({ max_position_embeddings: 2 ** 27 }) }));
    expect(hardFailures(report)).toEqual(['model-does-not-fit']);
    const limited = await onDisk((dir) => writeModelBundle(dir, { shards: [layerTensors(0)], sharded: false, config: modelConfig({ max_position_embeddings: 2 ** 27 }) }), ['--max-model-len', '4096']);
    expect(hardFailures(limited)).toEqual([]);
  });
});

function maxLen(c: Config): number {
  const i = c.vllm.extraArgs.indexOf('--max-model-len');
  return i >= 0 ? Number(c.vllm.extraArgs[i + 1]) : 32_768;
}
function utilization(c: Config): number {
  const i = c.vllm.extraArgs.indexOf('--gpu-memory-utilization');
  return i >= 0 ? Number(c.vllm.extraArgs[i + 1]) : 0.9;
}
