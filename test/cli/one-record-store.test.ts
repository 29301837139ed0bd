// One record store per process, opened in one place: the verb's entry
// (cli/<verb>/index.ts) opens it and passes it down, so what a verb reads and
// writes goes through one store (one boot id read, one set of directories).
// `mode run` is the exception the Host port makes: its store lives in the
// real host (effects/real-host.ts), one per controller run; a run refused
// before it starts opens the only store of its process to audit the refusal.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../project/source-imports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const opens = sourceFiles(`${ROOT}cli`).flatMap((file) => {
  const count = [...readFileSync(file, 'utf8').matchAll(/\bcreateRecordStore\(/g)].length;
  return count > 0 ? [{ file: relative(ROOT, file), count }] : [];
});

describe('the record store of a cli process', () => {
  it('is opened only in a verb entry, once, and in the refusal audit of mode run', () => {
    expect(opens).toEqual(
      expect.arrayContaining([
        { file: 'cli/request/index.ts', count: 1 },
        { file: 'cli/boot/index.ts', count: 1 },
      ]),
    );
    for (const { file, count } of opens) {
      expect(file === 'cli/run/audit-rejection.ts' || /^cli\/[a-z-]+\/index\.ts$/.test(file), file).toBe(true);
      expect(count, file).toBe(1);
    }
  });
});
