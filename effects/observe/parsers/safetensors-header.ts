// A safetensors file starts with an 8-byte little-endian header length N and
// N bytes of JSON: per tensor its dtype, shape and [begin, end) byte offsets
// into the data that follows. The header alone says how many bytes the
// tensors take and how long a complete file is, without reading the weights.
import { parseJsonText } from './json-text.ts';
import { emptyInput, failAt, parseOk, type ParseResult } from './parse-result.ts';

/** safetensors' own limit (MAX_HEADER_SIZE in the reference implementation). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

export interface SafetensorsHeader {
  tensors: number;
  /** sum of end - begin over every tensor */
  tensorBytes: number;
  /** 8 + N + the largest end offset: the size of a complete file */
  dataEndBytes: number;
  dtypes: string[];
}

/** Bytes per element of the dtypes whose size is a whole number of bytes; sub-byte ones (F4, F6) are not checked. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};

/** The header length the first 8 bytes declare; a failure when there are fewer than 8 or it exceeds the format's limit. */
export function parseHeaderLength(prefix: Uint8Array, fileBytes: number): ParseResult<number> {
  if (prefix.length < 8) return { ok: false, line: null, message: `the file is ${fileBytes} bytes, shorter than the 8-byte header length every safetensors file starts with (truncated?)`, excerpt: [] };
  const length = Buffer.from(prefix.buffer, prefix.byteOffset, 8).readBigUInt64LE(0);
  if (length > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
    return { ok: false, line: null, message: `the first 8 bytes declare a ${length}-byte header, more than safetensors' limit of ${MAX_SAFETENSORS_HEADER_BYTES} bytes: not a safetensors file`, excerpt: [] };
  }
  const n = Number(length);
  if (8 + n > fileBytes) {
    return { ok: false, line: null, message: `the header declares ${n} bytes but the file is only ${fileBytes} bytes long: the file is truncated (an interrupted copy?)`, excerpt: [] };
  }
  return parseOk(n);
}

/** The JSON header (the N bytes after the length), checked entry by entry. */
export function parseSafetensorsHeader(headerText: string, headerLength: number): ParseResult<SafetensorsHeader> {
  if (headerText.trim() === '') return emptyInput('a safetensors JSON header');
  const json = parseJsonText(headerText, 'safetensors header JSON');
  if (!json.ok) return json;
  const value = json.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failAt([headerText.slice(0, 200)], null, 'the safetensors header is not a JSON object');
  let tensorBytes = 0;
  let maxEnd = 0;
  let tensors = 0;
  const dtypes = new Set<string>();
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const tensor = readTensor(name, entry);
    if (typeof tensor === 'string') return { ok: false, line: null, message: tensor, excerpt: [`${name}: ${JSON.stringify(entry)?.slice(0, 200) ?? 'undefined'}`] };
    tensors += 1;
    tensorBytes += tensor.end - tensor.begin;
    maxEnd = Math.max(maxEnd, tensor.end);
    dtypes.add(tensor.dtype);
  }
  return parseOk({ tensors, tensorBytes, dataEndBytes: 8 + headerLength + maxEnd, dtypes: [...dtypes].sort() });
}

interface TensorEntry {
  dtype: string;
  begin: number;
  end: number;
}

/** One tensor's entry, or the reason it is not a valid one. */
function readTensor(name: string, entry: unknown): TensorEntry | string {
  if (typeof entry !== 'object' || entry === null) return `tensor ${name}: its entry is not an object`;
  const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string' || dtype === '') return `tensor ${name}: dtype is missing`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return `tensor ${name}: shape is not a list of non-negative integers`;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    return `tensor ${name}: data_offsets is not a pair of non-negative integers`;
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) return `tensor ${name}: data_offsets [${begin}, ${end}] end before they begin`;
  const perElement = DTYPE_BYTES[dtype];
  if (perElement !== undefined) {
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    if (elements * perElement !== end - begin) {
      return `tensor ${name}: shape [${(shape as number[]).join(', ')}] of ${dtype} is ${elements * perElement} bytes, but data_offsets span ${end - begin}`;
    }
  }
  return { dtype, begin, end };
}
