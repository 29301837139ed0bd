// A Hugging Face bundle's config.json and model.safetensors.index.json: the
// architecture numbers that size the KV cache, and the weight files the
// index names. Absent keys stay null; the guard decides what it can do
// without them.
import type { ModelArchitecture } from '../../../schemas/facts.ts';
import { parseJsonText } from './json-text.ts';
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export function parseModelConfig(text: string): ParseResult<ModelArchitecture> {
  const json = parseJsonText(text, 'config.json');
  if (!json.ok) return json;
  if (!isObject(json.value)) return failAt(splitLines(text), null, 'config.json is not a JSON object');
  const top = json.value;
  // Multimodal bundles keep the language model's numbers under text_config.
  const text_ = isObject(top.text_config) ? top.text_config : {};
  const int = (key: string): number | null => positiveInt(top[key]) ?? positiveInt(text_[key]);
  const dtype = stringOf(top.torch_dtype) ?? stringOf(top.dtype) ?? stringOf(text_.torch_dtype) ?? stringOf(text_.dtype);
  return parseOk({
    maxPositionEmbeddings: int('max_position_embeddings'),
    numHiddenLayers: int('num_hidden_layers'),
    numAttentionHeads: int('num_attention_heads'),
    numKeyValueHeads: int('num_key_value_heads'),
    headDim: int('head_dim'),
    hiddenSize: int('hidden_size'),
    torchDtype: dtype,
  });
}

/** The weight files model.safetensors.index.json names (its weight_map's values), each once, in first-seen order. */
export function parseWeightIndex(text: string): ParseResult<string[]> {
  const json = parseJsonText(text, 'model.safetensors.index.json');
  if (!json.ok) return json;
  const lines = splitLines(text);
  if (!isObject(json.value) || !isObject(json.value.weight_map)) return failAt(lines, null, 'model.safetensors.index.json has no weight_map object');
  const files: string[] = [];
  for (const [tensor, file] of Object.entries(json.value.weight_map)) {
    if (typeof file !== 'string' || !isPlainRelativeName(file)) {
      return failAt(lines, null, `weight_map names ${JSON.stringify(file)} for tensor ${tensor}: not a file name inside the bundle`);
    }
    if (!files.includes(file)) files.push(file);
  }
  if (files.length === 0) return failAt(lines, null, 'weight_map of model.safetensors.index.json is empty: it names no weight file');
  return parseOk(files);
}

/** A name relative to the bundle folder that cannot leave it: no absolute path, no `..`, no empty part. */
export function isPlainRelativeName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\0') || name.includes('\\')) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
