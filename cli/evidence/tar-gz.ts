// A .tar.gz of one flat folder, written with node:zlib rather than the system
// tar: the bundle must be made where it is most needed (a machine in trouble,
// a unit whose PATH has no tar, NixOS without gnutar in the profile), and a
// flat folder of a few small regular files needs only ustar headers.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** a file name inside the folder, no slash */
  readonly name: string;
  readonly content: Buffer;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar wants
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number, mode: number, mtime: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(path) > 100) throw new Error(`${path} is longer than the 100 bytes a ustar name holds`);
  block.write(path, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii');
  block.write(octal(0, 8), 116, 8, 'ascii');
  block.write(octal(size, 12), 124, 12, 'ascii');
  block.write(octal(mtime, 12), 136, 12, 'ascii');
  block.write(' '.repeat(8), 148, 8, 'ascii');
  block.write(type, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** The folder `dir` (a bare name) and its files, as one gzipped ustar archive. */
export function tarGz(dir: string, entries: readonly TarEntry[], mtimeSeconds: number): Buffer {
  const parts: Buffer[] = [header(`${dir}/`, 0, 0o755, mtimeSeconds, '5')];
  for (const entry of entries) {
    if (entry.name.includes('/') || entry.name === '') throw new Error(`${JSON.stringify(entry.name)} is not a bare file name`);
    parts.push(header(`${dir}/${entry.name}`, entry.content.length, 0o644, mtimeSeconds, '0'), entry.content);
    const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
