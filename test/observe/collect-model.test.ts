// The model bundle collector on real files in a temporary model store:
// generated bundles with real safetensors headers, complete and broken the
// ways a hand copy breaks (a shard missing or cut short, a truncated header,
// bad JSON), each with the reason an operator can act on.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../effects/observe/collect-model.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import type { Config } from '../../schemas/config.ts';
import { Facts, type Fact, type ModelBundle } from '../../schemas/facts.ts';
import { layerTensors, modelConfig, writeModelBundle } from '../support/safetensors-bundle.ts';
import { testConfig } from './test-config.ts';

const MODEL = 'Test-Org/Tiny-Coder';
const NOW = new Date('2026-11-26T10:00:00.000Z');

describe('collectModel', () => {
  let store: string;
  let bundle: string;
  beforeEach(() => {
    store = mkdtempSync(join(tmpdir(), 'dubnium-models-'));
    bundle = join(store, MODEL);
  });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  const config = (vllm: Partial<Config['vllm']> = {}): Config => {
    const base = testConfig();
    return { ...base, vllm: { ...base.vllm, model: MODEL, modelStore: store, ...vllm } };
  };
  const collect = (c: Config = config(), timeoutMs?: number): Promise<Fact<ModelBundle>> => collectModel(observeContext(c, { now: () => NOW, timeoutMs }));
  const knownValue = async (): Promise<ModelBundle> => {
    const fact = await collect();
    expect(modelFactSchema(fact), JSON.stringify(fact)).toBe(true);
    if (fact.status !== 'known') throw new Error(`expected known, got ${fact.code}: ${fact.reason}`);
    return fact.value;
  };
  const unknownOf = async (): Promise<Extract<Fact<ModelBundle>, { status: 'unknown' }>> => {
    const fact = await collect();
    expect(modelFactSchema(fact), JSON.stringify(fact)).toBe(true);
    if (fact.status !== 'unknown') throw new Error(`expected unknown, got ${JSON.stringify(fact.value)}`);
    return fact;
  };

  it('reads a complete sharded bundle: the architecture, every shard, the tensor bytes of the headers', async () => {
    const written = writeModelBundle(bundle);
    const value = await knownValue();
    expect(value).toMatchObject({ model: MODEL, directory: bundle, directoryExists: true, weightIndex: 'model.safetensors.index.json' });
    expect(value.config).toEqual({ maxPositionEmbeddings: 1024, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: null, hiddenSize: 64, torchDtype: 'bfloat16' });
    expect(value.weightFiles.map((w) => w.file)).toEqual(written.files);
    for (const w of value.weightFiles) {
      expect(w.exists).toBe(true);
      expect(w.sizeBytes).toBe(statSync(join(bundle, w.file)).size);
      expect(w.dataEndBytes).toBe(w.sizeBytes);
      expect(w.tensors).toBe(4);
      expect(w.dtypes).toEqual(['BF16']);
    }
    expect(value.weightFiles.reduce((s, w) => s + (w.tensorBytes ?? 0), 0)).toBe(written.tensorBytes);
  });

  it('reads a single model.safetensors without an index', async () => {
    const written = writeModelBundle(bundle, { shards: [[...layerTensors(0), { name: 'lm_head.qweight', dtype: 'I32', shape: [8, 16] }]], sharded: false });
    const value = await knownValue();
    expect(value.weightIndex).toBe('model.safetensors');
    expect(value.weightFiles).toHaveLength(1);
    expect(value.weightFiles[0]).toMatchObject({ file: 'model.safetensors', exists: true, tensorBytes: written.tensorBytes, dtypes: ['BF16', 'I32'] });
  });

  it('reports a bundle that was never seeded as known and absent', async () => {
    expect(await knownValue()).toEqual({ model: MODEL, directory: bundle, directoryExists: false, config: null, weightIndex: null, weightFiles: [] });
  });

  it('reports a shard the index names but the folder lacks as absent, the others read', async () => {
    const written = writeModelBundle(bundle);
    unlinkSync(join(bundle, written.files[1]!));
    const value = await knownValue();
    expect(value.weightFiles.map((w) => [w.file, w.exists])).toEqual([
      [written.files[0], true],
      [written.files[1], false],
    ]);
  });

  it('reports a missing config.json and a folder without weights', async () => {
    mkdirSync(bundle, { recursive: true });
    const value = await knownValue();
    expect(value).toMatchObject({ directoryExists: true, config: null, weightIndex: null, weightFiles: [] });
  });

  it('sees a shard cut short after its header: size below the end its header declares', async () => {
    const written = writeModelBundle(bundle);
    const path = join(bundle, written.files[0]!);
    const size = statSync(path).size;
    truncateSync(path, size - 100);
    const shard = (await knownValue()).weightFiles[0]!;
    expect(shard.sizeBytes).toBe(size - 100);
    expect(shard.dataEndBytes).toBe(size);
  });

  it('is unknown, naming the file, when a safetensors header is truncated', async () => {
    const written = writeModelBundle(bundle);
    const path = join(bundle, written.files[0]!);
    truncateSync(path, 40);
    const fact = await unknownOf();
    expect(fact.code).toBe('unparseable');
    expect(fact.source).toEqual({ kind: 'file', path });
    expect(fact.reason).toContain(path);
    expect(fact.reason).toMatch(/the header declares \d+ bytes but the file is only 40 bytes long: the file is truncated/);
  });

  it('is unknown when a weight file is shorter than the 8-byte length prefix', async () => {
    const written = writeModelBundle(bundle);
    truncateSync(join(bundle, written.files[1]!), 3);
    const fact = await unknownOf();
    expect(fact.reason).toMatch(/is 3 bytes, shorter than the 8-byte header length/);
  });

  it('is unknown when a file named .safetensors is something else (its length prefix is absurd)', async () => {
    const written = writeModelBundle(bundle);
    writeFileSync(join(bundle, written.files[0]!), '<html>404 Not Found</html>\n');
    const fact = await unknownOf();
    expect(fact.code).toBe('unparseable');
    expect(fact.reason).toMatch(/more than safetensors' limit .*not a safetensors file/);
  });

  it('is unknown, with the line, when config.json is not JSON', async () => {
    writeModelBundle(bundle);
    writeFileSync(join(bundle, 'config.json'), '{\n  "num_hidden_layers": 2,\n  "hidden_size": 64\n  "torch_dtype": "bfloat16"\n}\n');
    const fact = await unknownOf();
    expect(fact.code).toBe('unparseable');
    expect(fact.reason).toContain(join(bundle, 'config.json'));
    expect(fact.reason).toMatch(/line 4/);
    expect(fact.excerpt?.some((l) => l.includes('torch_dtype'))).toBe(true);
  });

  it('is unknown when the index is bad JSON, or names a file outside the bundle', async () => {
    writeModelBundle(bundle);
    const index = join(bundle, 'model.safetensors.index.json');
    writeFileSync(index, '{"weight_map": {"a": "model-00001-of-00002.safetensors",}');
    expect((await unknownOf()).reason).toContain(index);
    writeFileSync(index, JSON.stringify({ weight_map: { a: '../../../etc/passwd' } }));
    expect((await unknownOf()).reason).toMatch(/not a file name inside the bundle/);
  });

  it('is unknown when the header JSON is valid but a tensor entry is not (offsets disagree with the shape)', async () => {
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(modelConfig()));
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'F16', shape: [4, 4], data_offsets: [0, 16] } }));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(join(bundle, 'model.safetensors'), Buffer.concat([prefix, header, Buffer.alloc(16)]));
    expect((await unknownOf()).reason).toMatch(/tensor w: shape \[4, 4\] of F16 is 32 bytes, but data_offsets span 16/);
  });

  it('refuses a config.json beyond its size bound without reading it', async () => {
    writeModelBundle(bundle);
    writeFileSync(join(bundle, 'config.json'), Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect((await unknownOf()).reason).toMatch(/more than the 1048576 such a file may have/);
  });

  it('is not applicable when vLLM is disabled or no model is set, and refuses an id that leaves the store', async () => {
    expect(await collect(config({ enable: false }))).toMatchObject({ status: 'unknown', code: 'not-applicable' });
    expect(await collect(config({ model: null }))).toMatchObject({ status: 'unknown', code: 'not-applicable' });
    const escaped = await collect(config({ model: '../etc' }));
    expect(escaped).toMatchObject({ status: 'unknown', code: 'unreadable' });
  });

  it('refuses a FIFO under a bundle file name at once instead of blocking on it', async () => {
    mkdirSync(bundle, { recursive: true });
    execFileSync('mkfifo', [join(bundle, 'config.json')]);
    const started = Date.now();
    const fact = await collect(config(), 10_000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    if (fact.status === 'unknown') expect(fact.reason).toMatch(/config\.json is not a regular file/);
  });

  it('gives up when the observation is abandoned (its deadline or the run being cancelled)', async () => {
    writeModelBundle(bundle);
    const abort = new AbortController();
    abort.abort();
    const fact = await collectModel(observeContext(config(), { now: () => NOW, signal: abort.signal }));
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    if (fact.status === 'unknown') expect(fact.reason).toMatch(/did not finish within \d+ ms/);
  });
});

/** Whether `value` matches the model fact's schema, taken from Facts so the test checks what records carry. */
function modelFactSchema(value: unknown): boolean {
  return Facts.shape.model.safeParse(value).success;
}
