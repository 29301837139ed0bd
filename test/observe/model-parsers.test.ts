// The safetensors header, config.json and index parsers, on bytes the test
// support writes exactly as the safetensors format defines them: a header
// read back gives the tensor bytes and the complete size of the file; any
// other input gives a failure that says what is wrong, never a throw.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isPlainRelativeName, parseModelConfig, parseWeightIndex } from '../../effects/observe/parsers/model-config.ts';
import type { ParseResult } from '../../effects/observe/parsers/parse-result.ts';
import { parseHeaderLength, parseSafetensorsHeader } from '../../effects/observe/parsers/safetensors-header.ts';
import { layerTensors, modelConfig, safetensorsBytes, tensorBytes, type TensorSpec } from '../support/safetensors-bundle.ts';

/** Reads a whole file's bytes the way the collector does: length prefix, then header. */
function parseFile(bytes: Buffer) {
  const length = parseHeaderLength(bytes.subarray(0, 8), bytes.length);
  if (!length.ok) return length;
  return parseSafetensorsHeader(bytes.subarray(8, 8 + length.value).toString('utf8'), length.value);
}

/** The message of a failed parse; a test that expects a failure fails on a value. */
const failure = (result: ParseResult<unknown>): string => (result.ok ? `parsed: ${JSON.stringify(result.value)}` : result.message);

const tensorArb: fc.Arbitrary<TensorSpec> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9_.]{0,20}$/),
  dtype: fc.constantFrom('F16', 'BF16', 'F32', 'I32', 'U8'),
  shape: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
});

describe('safetensors header', () => {
  it('reads a generated file: tensor count, bytes, dtypes and the size a complete file has', () => {
    const tensors = [...layerTensors(0), { name: 'model.layers.0.mlp.qweight', dtype: 'I32' as const, shape: [16, 8] }];
    const bytes = safetensorsBytes(tensors);
    const parsed = parseFile(bytes);
    expect(parsed).toEqual({ ok: true, value: { tensors: 5, tensorBytes: tensors.reduce((s, t) => s + tensorBytes(t), 0), dataEndBytes: bytes.length, dtypes: ['BF16', 'I32'] } });
    // the format's 8-byte alignment of the data section
    expect((8 + Number(bytes.readBigUInt64LE(0))) % 8).toBe(0);
  });

  test.prop([fc.uniqueArray(tensorArb, { selector: (t) => t.name, maxLength: 8 })])('any generated file reads back to its own numbers', (tensors) => {
    const bytes = safetensorsBytes(tensors);
    const parsed = parseFile(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.tensors).toBe(tensors.length);
    expect(parsed.value.tensorBytes).toBe(tensors.reduce((s, t) => s + tensorBytes(t), 0));
    expect(parsed.value.dataEndBytes).toBe(bytes.length);
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('arbitrary bytes give a value or a failure, never a throw', (raw) => {
    const result = parseFile(Buffer.from(raw));
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  it('says what is wrong with a short file, an absurd length and an entry that is not a tensor', () => {
    expect(failure(parseHeaderLength(Buffer.from([1, 2, 3]), 3))).toMatch(/3 bytes, shorter than the 8-byte header length/);
    const huge = Buffer.alloc(8);
    huge.writeBigUInt64LE(2n ** 40n);
    expect(failure(parseHeaderLength(huge, 1000))).toMatch(/limit of 100000000 bytes: not a safetensors file/);
    expect(parseSafetensorsHeader('{"w": {"dtype": "F16", "shape": [2], "data_offsets": [4, 0]}}', 60)).toMatchObject({ ok: false, message: 'tensor w: data_offsets [4, 0] end before they begin' });
    expect(parseSafetensorsHeader('{"w": {"shape": [2], "data_offsets": [0, 4]}}', 60)).toMatchObject({ ok: false, message: 'tensor w: dtype is missing' });
    expect(parseSafetensorsHeader('[1, 2]', 6)).toMatchObject({ ok: false });
    expect(failure(parseSafetensorsHeader('{"w": ', 6))).toMatch(/not valid safetensors header JSON/);
  });

  it('counts a sub-byte dtype by its offsets without checking the shape', () => {
    expect(parseSafetensorsHeader('{"w": {"dtype": "F4", "shape": [8], "data_offsets": [0, 4]}}', 60)).toEqual({ ok: true, value: { tensors: 1, tensorBytes: 4, dataEndBytes: 72, dtypes: ['F4'] } });
  });
});

describe('config.json', () => {
  it('reads the numbers that size the KV cache, null for what is absent', () => {
    expect(parseModelConfig(JSON.stringify(modelConfig({ head_dim: 16 })))).toEqual({
      ok: true,
      value: { maxPositionEmbeddings: 1024, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 16, hiddenSize: 64, torchDtype: 'bfloat16' },
    });
    expect(parseModelConfig(JSON.stringify(modelConfig({ num_key_value_heads: null, torch_dtype: null, dtype: 'float16' })))).toMatchObject({ ok: true, value: { numKeyValueHeads: null, torchDtype: 'float16' } });
  });

  it('takes a multimodal bundle numbers from text_config', () => {
    const parsed = parseModelConfig(JSON.stringify({ architectures: ['X'], text_config: { num_hidden_layers: 30, num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 8192, torch_dtype: 'bfloat16' } }));
    expect(parsed).toMatchObject({ ok: true, value: { numHiddenLayers: 30, numKeyValueHeads: 4, headDim: 256, maxPositionEmbeddings: 8192, torchDtype: 'bfloat16' } });
  });

  it('fails on what is not a JSON object, naming the line', () => {
    const bad = parseModelConfig('{\n  "a": 1\n  "b": 2\n}');
    expect(bad).toMatchObject({ ok: false, line: 3 });
    expect(parseModelConfig('[]')).toMatchObject({ ok: false, message: 'config.json is not a JSON object' });
  });

  test.prop([fc.string({ maxLength: 200 })])('arbitrary text never throws', (text) => {
    parseModelConfig(text);
    parseWeightIndex(text);
  });
});

describe('model.safetensors.index.json', () => {
  it('lists each weight file once, in first-seen order', () => {
    const text = JSON.stringify({ metadata: { total_size: 10 }, weight_map: { a: 'model-00002-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' } });
    expect(parseWeightIndex(text)).toEqual({ ok: true, value: ['model-00002-of-00002.safetensors', 'model-00001-of-00002.safetensors'] });
  });

  it('refuses an index without weight_map, an empty one, and names that leave the bundle', () => {
    expect(parseWeightIndex('{"metadata": {}}')).toMatchObject({ ok: false, message: 'model.safetensors.index.json has no weight_map object' });
    expect(failure(parseWeightIndex('{"weight_map": {}}'))).toMatch(/is empty/);
    for (const name of ['/etc/passwd', '../x.safetensors', 'a/../../b', '', 'a//b']) {
      expect(isPlainRelativeName(name), name).toBe(false);
      expect(parseWeightIndex(JSON.stringify({ weight_map: { t: name } })).ok, name).toBe(false);
    }
    expect(isPlainRelativeName('Qwen/Qwen2.5-Coder-14B-Instruct-AWQ')).toBe(true);
  });
});
