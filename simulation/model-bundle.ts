// The model bundle the simulated host reports: what the collector would
// read from a seeded <modelStore>/<model>/ of a 14B-class model quantized to
// about 10 GB in three shards, so the default simulated world passes both
// model guards on its 24 GiB GPU and tests change one thing to fail them.
import type { Config } from '../schemas/config.ts';
import type { ModelArchitecture, ModelBundle, WeightFile } from '../schemas/facts.ts';

/** Qwen2.5-14B's numbers (config.json of Qwen/Qwen2.5-Coder-14B-Instruct-AWQ). */
export const SIMULATED_ARCHITECTURE: ModelArchitecture = {
  maxPositionEmbeddings: 32_768,
  numHiddenLayers: 48,
  numAttentionHeads: 40,
  numKeyValueHeads: 8,
  headDim: null,
  hiddenSize: 5120,
  torchDtype: 'float16',
};

export const SIMULATED_SHARD_BYTES = [3_990_000_000, 3_990_000_000, 2_000_000_000] as const;

/** A complete bundle of the configured model, or null when compute loads none (the fact is then not applicable). */
export function simulatedModelBundle(config: Config, weightBytes: readonly number[] = SIMULATED_SHARD_BYTES): ModelBundle | null {
  const { enable, model, modelStore } = config.vllm;
  if (!enable || model === null) return null;
  const count = weightBytes.length;
  const weightFiles: WeightFile[] = weightBytes.map((bytes, i) => {
    const header = 80_000;
    return {
      file: `model-${String(i + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.safetensors`,
      exists: true,
      sizeBytes: 8 + header + bytes,
      dataEndBytes: 8 + header + bytes,
      tensorBytes: bytes,
      tensors: 200,
      dtypes: ['F16', 'I32'],
    };
  });
  return {
    model,
    directory: `${modelStore}/${model}`,
    directoryExists: true,
    config: { ...SIMULATED_ARCHITECTURE },
    weightIndex: 'model.safetensors.index.json',
    weightFiles,
  };
}
