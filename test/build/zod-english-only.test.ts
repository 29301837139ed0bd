// The `mode` bundle keeps zod's English messages only: what the plugin leaves
// in, and that zod still speaks (English) through it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { zodEnglishOnly } from '../../scripts/zod-english-only.ts';

const dir = mkdtempSync(join(tmpdir(), 'zod-english-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(plugins: ReturnType<typeof zodEnglishOnly>[]): Promise<{ file: string; inputs: string[] }> {
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, "import { z } from 'zod';\nconst r = z.object({ a: z.number() }).safeParse({ a: 'x' });\nconsole.log(JSON.stringify({ locales: Object.keys(z.locales), message: r.error.issues[0].message }));\n");
  const file = join(dir, `out-${plugins.length}.mjs`);
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: file, metafile: true, logLevel: 'error', nodePaths: [join(import.meta.dirname, '../../node_modules')], plugins });
  return { file, inputs: Object.keys(result.metafile.inputs) };
}

describe('zodEnglishOnly', () => {
  it('leaves only en.js of zod/v4/locales in the bundle, and z.locales holds en alone', async () => {
    const plain = await bundle([]);
    expect(plain.inputs.filter((f) => f.includes('/locales/') && !f.endsWith('index.js')).length).toBeGreaterThan(30);
    const trimmed = await bundle([zodEnglishOnly()]);
    expect(trimmed.inputs.filter((f) => f.startsWith('node_modules/zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
    const said = JSON.parse(execFileSync(process.execPath, [trimmed.file], { encoding: 'utf8', timeout: 30_000 })) as { locales: string[]; message: string };
    expect(said).toEqual({ locales: ['en'], message: 'Invalid input: expected number, received string' });
  });
});
