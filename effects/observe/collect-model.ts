// Model bundle fact: <modelStore>/<model id>/, the folder vLLM's --model
// points at (nix/lib/vllm.nix). Reads config.json, the weight index (a
// sharded model.safetensors.index.json, or one model.safetensors), and the
// safetensors header of every weight file it names — never the weights.
// A file that is absent is an observed absence (the bundle is incomplete);
// a file that is present but cannot be read or understood makes the fact
// unknown, naming the file and what is wrong with it.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSource, ModelArchitecture, ModelBundle, Unknown, WeightFile, WeightIndexName } from '../../schemas/facts.ts';
import { errorCode, known, unknown, unknownFromParse } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { isPlainRelativeName, parseModelConfig, parseWeightIndex } from './parsers/model-config.ts';
import { MAX_SAFETENSORS_HEADER_BYTES, parseHeaderLength, parseSafetensorsHeader } from './parsers/safetensors-header.ts';
import { readAt, readTextBounded, withFile, type BoundedRead } from './read-bounded.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

/** Real config.json files are a few KiB. */
export const MAX_MODEL_CONFIG_BYTES = 1024 * 1024;
/** The index of a 400B-parameter model is well under 1 MiB. */
export const MAX_WEIGHT_INDEX_BYTES = 16 * 1024 * 1024;
export const MAX_WEIGHT_FILES = 4096;

const INDEX: WeightIndexName = 'model.safetensors.index.json';
const SINGLE: WeightIndexName = 'model.safetensors';

export async function collectModel(ctx: ObserveContext): Promise<Fact<ModelBundle>> {
  const { enable, model, modelStore } = ctx.config.vllm;
  const source: FactSource = { kind: 'file', path: model === null ? modelStore : join(modelStore, model) };
  const at = () => ctx.now().toISOString();
  if (!enable) return unknown('not-applicable', 'vLLM is disabled (vllm.enable = false): compute loads no model', source, at());
  if (model === null) return unknown('not-applicable', 'vllm.model is not set: there is no model bundle to look for', source, at());
  if (!isPlainRelativeName(model)) {
    return unknown('unreadable', `vllm.model "${model}" is not a folder name inside the model store (an id like Org/Name is; no leading /, no ..)`, source, at());
  }
  const directory = join(modelStore, model);
  return withDeadline(
    readBundle(model, directory, source, at).catch((error: unknown) => unknown('unreadable', `cannot read ${directory}: ${describeError(error)}`, source, at())),
    ctx.timeoutMs,
    () => unknown('unreadable', `reading the model bundle ${directory} did not finish within ${ctx.timeoutMs} ms (a slow or hung disk?)`, source, at()),
    ctx.signal,
  );
}

async function readBundle(model: string, directory: string, source: FactSource, at: () => string): Promise<Fact<ModelBundle>> {
  const absent: ModelBundle = { model, directory, directoryExists: false, config: null, weightIndex: null, weightFiles: [] };
  try {
    if (!(await stat(directory)).isDirectory()) return known(absent, source, at());
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return known(absent, source, at());
    return unknown('unreadable', `cannot stat ${directory}: ${describeError(error)}`, source, at());
  }
  const config = await readConfig(join(directory, 'config.json'), at);
  if (isUnknown(config)) return config;
  const index = await readIndex(directory, at);
  if (isUnknown(index)) return index;
  const weightFiles: WeightFile[] = [];
  for (const file of index.files) {
    const weight = await readWeightFile(directory, file, at);
    if (isUnknown(weight)) return weight;
    weightFiles.push(weight);
  }
  return known({ model, directory, directoryExists: true, config, weightIndex: index.name, weightFiles }, source, at());
}

async function readConfig(path: string, at: () => string): Promise<ModelArchitecture | null | Unknown> {
  const read = await readTextBounded(path, MAX_MODEL_CONFIG_BYTES);
  if (read.kind === 'absent') return null;
  if (read.kind !== 'ok') return unreadable(path, read, MAX_MODEL_CONFIG_BYTES, at);
  const parsed = parseModelConfig(read.value);
  return parsed.ok ? parsed.value : unknownFromParse(parsed, { kind: 'file', path }, at(), path);
}

async function readIndex(directory: string, at: () => string): Promise<{ name: WeightIndexName | null; files: string[] } | Unknown> {
  const path = join(directory, INDEX);
  const read = await readTextBounded(path, MAX_WEIGHT_INDEX_BYTES);
  if (read.kind === 'ok') {
    const parsed = parseWeightIndex(read.value);
    if (!parsed.ok) return unknownFromParse(parsed, { kind: 'file', path }, at(), path);
    if (parsed.value.length > MAX_WEIGHT_FILES) return unknown('unparseable', `${path} names ${parsed.value.length} weight files, more than the ${MAX_WEIGHT_FILES} the observer reads`, { kind: 'file', path }, at());
    return { name: INDEX, files: parsed.value };
  }
  if (read.kind !== 'absent') return unreadable(path, read, MAX_WEIGHT_INDEX_BYTES, at);
  // Without an index, a bundle has exactly one weight file by that name (or none at all).
  const single = await stat(join(directory, SINGLE)).then(() => true, () => false);
  return single ? { name: SINGLE, files: [SINGLE] } : { name: null, files: [] };
}

async function readWeightFile(directory: string, file: string, at: () => string): Promise<WeightFile | Unknown> {
  const path = join(directory, file);
  const source: FactSource = { kind: 'file', path };
  const read = await withFile(path, async (handle, sizeBytes) => {
    const prefix = await readAt(handle, 0, 8);
    const length = parseHeaderLength(prefix.buffer.subarray(0, prefix.bytesRead), sizeBytes);
    if (!length.ok) return { kind: 'ok', value: length, sizeBytes };
    const header = await readAt(handle, 8, length.value);
    return { kind: 'ok', value: parseSafetensorsHeader(header.buffer.subarray(0, header.bytesRead).toString('utf8'), length.value), sizeBytes };
  });
  if (read.kind === 'absent') return { file, exists: false, sizeBytes: null, dataEndBytes: null, tensorBytes: null, tensors: null, dtypes: [] };
  if (read.kind !== 'ok') return unreadable(path, read, MAX_SAFETENSORS_HEADER_BYTES, at);
  const parsed = read.value;
  if (!parsed.ok) return unknownFromParse(parsed, source, at(), `the safetensors header of ${path}`);
  const { tensors, tensorBytes, dataEndBytes, dtypes } = parsed.value;
  return { file, exists: true, sizeBytes: read.sizeBytes, dataEndBytes, tensorBytes, tensors, dtypes };
}

function unreadable(path: string, read: Exclude<BoundedRead<unknown>, { kind: 'ok' } | { kind: 'absent' }>, maxBytes: number, at: () => string): Unknown {
  const source: FactSource = { kind: 'file', path };
  if (read.kind === 'too-large') return unknown('unparseable', `${path} is ${read.sizeBytes} bytes, more than the ${maxBytes} such a file may have; it is not what its name says`, source, at());
  return unknown('unreadable', `cannot read ${path}: ${describeError(read.error)}`, source, at());
}

const isUnknown = (value: unknown): value is Unknown => typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'unknown';
