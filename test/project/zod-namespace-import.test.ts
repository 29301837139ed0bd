// zod is imported as a namespace (`import * as z from 'zod'`), never as its `z`
// export: `import { z }` makes esbuild keep all of zod (every schema class, the
// JSON Schema generator, the codecs) in the bundles, where the namespace keeps
// only what the schemas use. Measured under node --jitless (issue 17): zod's
// part of the bundle 193 -> 90 KB and a controller run's peak RSS ~1.2 MB lower.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './source-imports.ts';

const root = new URL('../../', import.meta.url).pathname;
const NAMED_Z = /(?:^|\n)\s*import\s+\{[^}]*\bz\b[^}]*\}\s*from\s*['"]zod['"]/;

describe('zod imports', () => {
  it('import zod as a namespace, except for types', () => {
    const offenders = ['shared', 'schemas', 'predicates', 'machines', 'effects', 'cli', 'simulation']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .filter((file) => NAMED_Z.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
