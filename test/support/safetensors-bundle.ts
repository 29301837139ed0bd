// Writes real Hugging Face model bundles with tiny tensors: safetensors files
// exactly as the format defines them (8-byte little-endian header length, a
// JSON header padded with spaces to 8 bytes, then the tensor bytes), a
// config.json and, for sharded bundles, model.safetensors.index.json. The
// model collector reads them as it reads a seeded 14B bundle; only the
// sizes differ.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TensorSpec {
  name: string;
  dtype: 'F16' | 'BF16' | 'F32' | 'I32' | 'U8';
  shape: number[];
}

const BYTES: Record<TensorSpec['dtype'], number> = { F16: 2, BF16: 2, F32: 4, I32: 4, U8: 1 };

export const tensorBytes = (t: TensorSpec): number => t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];

/** The bytes of one safetensors file holding `tensors`, in order, with a deterministic fill. */
export function safetensorsBytes(tensors: TensorSpec[], metadata: Record<string, string> = { format: 'pt' }): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const size = tensorBytes(t);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  // The reference writer pads the header so the data starts 8-byte aligned.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.length));
  const data = Buffer.alloc(offset);
  for (let i = 0; i < offset; i++) data[i] = (i * 31 + 7) & 0xff;
  return Buffer.concat([prefix, headerBytes, data]);
}

/** config.json of a small Qwen2-shaped model; override any key (null removes it). */
export function modelConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    hidden_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    num_hidden_layers: 2,
    max_position_embeddings: 1024,
    torch_dtype: 'bfloat16',
    vocab_size: 128,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Tensors of one tiny decoder layer, named like Qwen2's. */
export function layerTensors(layer: number, dtype: TensorSpec['dtype'] = 'BF16'): TensorSpec[] {
  const p = `model.layers.${layer}`;
  return [
    { name: `${p}.self_attn.q_proj.weight`, dtype, shape: [64, 64] },
    { name: `${p}.self_attn.k_proj.weight`, dtype, shape: [32, 64] },
    { name: `${p}.self_attn.v_proj.weight`, dtype, shape: [32, 64] },
    { name: `${p}.input_layernorm.weight`, dtype, shape: [64] },
  ];
}

export interface BundleSpec {
  /** one list of tensors per shard; one shard without `sharded` writes a single model.safetensors */
  shards: TensorSpec[][];
  sharded?: boolean;
  config?: Record<string, unknown>;
}

export interface WrittenBundle {
  directory: string;
  files: string[];
  tensorBytes: number;
}

/** Writes the bundle into `directory` (created); returns the weight file names and the bytes of all tensors. */
export function writeModelBundle(directory: string, spec: BundleSpec = { shards: [layerTensors(0), layerTensors(1)], sharded: true }): WrittenBundle {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'config.json'), `${JSON.stringify(spec.config ?? modelConfig(), null, 2)}\n`);
  const sharded = spec.sharded ?? spec.shards.length > 1;
  const count = spec.shards.length;
  const files = sharded ? spec.shards.map((_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.safetensors`) : ['model.safetensors'];
  const weightMap: Record<string, string> = {};
  let total = 0;
  spec.shards.forEach((tensors, i) => {
    writeFileSync(join(directory, files[i]!), safetensorsBytes(tensors));
    for (const t of tensors) {
      weightMap[t.name] = files[i]!;
      total += tensorBytes(t);
    }
  });
  if (sharded) writeFileSync(join(directory, 'model.safetensors.index.json'), `${JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2)}\n`);
  return { directory, files, tensorBytes: total };
}
