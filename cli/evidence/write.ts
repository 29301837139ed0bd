// Writes the collected pieces as one folder and the .tar.gz beside it.
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PieceResult } from './collect.ts';
import { readme, type BundleFacts } from './readme.ts';
import { tarGz, type TarEntry } from './tar-gz.ts';

export function bundleEntries(facts: BundleFacts, results: readonly PieceResult[]): TarEntry[] {
  const entries: TarEntry[] = [{ name: 'README.txt', content: Buffer.from(readme(facts, results)) }];
  for (const result of results) {
    // a file that could not be read is left out (README.txt says why), not kept empty as if it were
    if (!(result.note !== null && result.content.length === 0)) entries.push({ name: result.file, content: result.content });
    if (result.stderr.trim() !== '') entries.push({ name: `${result.file}.stderr`, content: Buffer.from(result.stderr) });
  }
  const manifest = {
    schemaVersion: 1,
    ...facts,
    pieces: results.map(({ content, ...rest }) => ({ ...rest, bytes: content.length })),
  };
  entries.push({ name: 'manifest.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) });
  return entries;
}

/** The folder's files, then `<dir>.tar.gz` beside it; the folder must exist. Returns the archive's path. */
export async function writeBundle(dir: string, entries: readonly TarEntry[], createdAt: Date): Promise<string> {
  for (const entry of entries) await writeFile(join(dir, entry.name), entry.content, { mode: 0o644 });
  const archive = join(dirname(dir), `${basename(dir)}.tar.gz`);
  await writeFile(archive, tarGz(basename(dir), entries, Math.floor(createdAt.getTime() / 1000)), { mode: 0o644 });
  return archive;
}
