// The model bundle a sandbox's model store holds, as the seeding runbook
// leaves it on the workstation (docs/runbooks/model-seeding.md): the
// configured id's folder under vllm.modelStore with config.json, the index
// and two safetensors shards with real headers. The tensors are tiny; the
// config.json carries Qwen2.5-14B's real numbers, so the model-does-not-fit
// guard does the v1 KV arithmetic (6 GiB for 32768 tokens) on the stand-in GPU.
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { layerTensors, modelConfig, writeModelBundle, type WrittenBundle } from '../support/safetensors-bundle.ts';

export const SEEDED_MODEL_CONFIG = modelConfig({
  hidden_size: 5120,
  num_attention_heads: 40,
  num_key_value_heads: 8,
  num_hidden_layers: 48,
  max_position_embeddings: 32_768,
  torch_dtype: 'float16',
  vocab_size: 152_064,
});

/** The bundle folder of the configured model inside the sandbox (the path vLLM's --model gets). */
export function bundleInside(config: Config): string | null {
  return config.vllm.model === null ? null : join(config.vllm.modelStore, config.vllm.model);
}

/** Writes the bundle into the running sandbox through /proc/<pid>/root (its /var is a private tmpfs). */
export function seedModelBundle(systemdPid: number, config: Config): WrittenBundle | null {
  const folder = bundleInside(config);
  if (!config.vllm.enable || folder === null) return null;
  return writeModelBundle(`/proc/${systemdPid}/root${folder}`, { shards: [layerTensors(0, 'F16'), layerTensors(1, 'F16')], sharded: true, config: SEEDED_MODEL_CONFIG });
}
