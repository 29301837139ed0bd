// The model guards' checks on bundles and configurations that fail them in
// each way: a bundle not seeded, without config.json or weights, a shard
// missing or cut short, another model observed; a config.json without the
// keys the KV cache needs; flags the guard cannot read; GPUs whose memory is
// unknown; and the fit's arithmetic when it passes and when it does not. The
// exact reasons and cited facts, as `mode guards` shows them (snapshot,
// reviewed: a change of wording is one operators read).
import { describe, expect, it } from 'vitest';
import { bundleProblems, modelBundleComplete, modelFitsGpus } from '../../../predicates/model-checks.ts';
import type { Config } from '../../../schemas/config.ts';
import type { Facts, ModelArchitecture, ModelBundle } from '../../../schemas/facts.ts';
import { simulatedModelBundle } from '../../../simulation/model-bundle.ts';
import { checkWords } from '../support/check-words.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown } from '../support/facts.ts';

const seeded = simulatedModelBundle(config)!;
const desktop = factsFor('desktop', config);
const withBundle = (b: ModelBundle, facts: Facts = desktop): Facts => ({ ...facts, model: known(b, 'model') });
const withArch = (patch: Partial<ModelArchitecture>): Facts => withBundle({ ...seeded, config: { ...seeded.config!, ...patch } });
const withArgs = (extraArgs: string[]): Config =>
  withConfig((c) => {
    c.vllm.extraArgs = extraArgs;
  });

describe('model-missing', () => {
  it('each way a bundle is incomplete, in words', () => {
    const [first, second] = seeded.weightFiles;
    const cases: ModelBundle[] = [
      { ...seeded, directoryExists: false },
      { ...seeded, config: null, weightIndex: null, weightFiles: [] },
      { ...seeded, weightFiles: [{ ...first!, exists: false }, { ...second!, sizeBytes: 100, dataEndBytes: 200 }] },
      { ...seeded, weightIndex: null, weightFiles: [{ ...first!, exists: false }] },
    ];
    expect(cases.map((b) => bundleProblems(b))).toMatchSnapshot();
    expect(checkWords(modelBundleComplete(withBundle(cases[2]!), config))).toMatchSnapshot();
    expect(checkWords(modelBundleComplete(withBundle(cases[0]!), config))).toMatchSnapshot();
  });
  it('a bundle of another model, one that could not be read, and a complete one', () => {
    expect(checkWords(modelBundleComplete(withBundle({ ...seeded, model: 'other/Model' }), config))).toMatchSnapshot();
    expect(checkWords(modelBundleComplete({ ...desktop, model: unknown('model') }, config))).toMatchSnapshot();
    expect(checkWords(modelBundleComplete(withBundle(seeded), config))).toMatchSnapshot();
  });
  it('nothing to judge with vLLM off or no model set', () => {
    const off = withConfig((c) => {
      c.vllm.enable = false;
    });
    const unset = withConfig((c) => {
      c.vllm.model = null;
    });
    expect([checkWords(modelBundleComplete(desktop, off)), checkWords(modelFitsGpus(desktop, unset))]).toEqual([checkWords({ conflicts: [], missing: [], evidence: [] }), checkWords({ conflicts: [], missing: [], evidence: [] })]);
  });
});

describe('model-does-not-fit', () => {
  it('the arithmetic when it fits, and when it does not', () => {
    expect(checkWords(modelFitsGpus(withBundle(seeded), config))).toMatchSnapshot();
    expect(checkWords(modelFitsGpus(withBundle(seeded), withArgs(['--max-model-len', '1000000', '--gpu-memory-utilization', '0.5'])))).toMatchSnapshot();
  });
  it('an incomplete bundle leaves the size to model-missing', () => {
    expect(checkWords(modelFitsGpus(withBundle({ ...seeded, config: null }), config))).toMatchSnapshot();
  });
  it('each key of config.json the KV cache needs, when absent', () => {
    const cases: Partial<ModelArchitecture>[] = [
      { maxPositionEmbeddings: null },
      { numHiddenLayers: null },
      { numKeyValueHeads: null, numAttentionHeads: null },
      { headDim: null, hiddenSize: null },
      { headDim: 0 },
    ];
    expect(cases.map((patch) => checkWords(modelFitsGpus(withArch(patch), config)))).toMatchSnapshot();
  });
  it('head_dim from hidden_size and the attention heads, KV heads from the attention heads', () => {
    expect(checkWords(modelFitsGpus(withArch({ headDim: null, numKeyValueHeads: null }), config)).evidence.find(([fact]) => fact === 'model-fit')).toMatchSnapshot();
  });
  it('flags it cannot read, and GPUs whose memory is unknown', () => {
    for (const args of [['--gpu-memory-utilization', '2'], ['--max-model-len', 'lots'], ['--dtype', 'int4']]) expect(checkWords(modelFitsGpus(withBundle(seeded), withArgs(args)))).toMatchSnapshot();
    const two = withConfig((c) => {
      c.hardware.presentGpus = [0, 1, 2];
      c.hardware.computeGpus = [1, 2];
    });
    const gpus = known([gpu(0), { ...gpu(1), memoryTotalMiB: null }]);
    expect(checkWords(modelFitsGpus({ ...withBundle(simulatedModelBundle(two)!), gpus }, two))).toMatchSnapshot();
    expect(checkWords(modelFitsGpus({ ...withBundle(seeded), gpus: unknown('nvidia-smi') }, config))).toMatchSnapshot();
  });
});
