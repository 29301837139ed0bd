// The pure core must stay pure: predicates/ and machines/ import no IO, so the
// same chart runs against a simulated host and a real one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const FORBIDDEN = [/^node:/, /^execa$/, /(^|\/)effects\//, /^(fs|child_process|os|path|net|http)$/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return [...specifiers, ...dynamic, ...bare];
}

describe('layering', () => {
  for (const layer of ['predicates', 'machines']) {
    it(`${layer}/ imports no IO`, () => {
      const offenders = sourceFiles(join(root, layer)).flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((spec) => FORBIDDEN.some((re) => re.test(spec)))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  it('the import scanner sees static, dynamic and bare imports', () => {
    const sample = "import { a } from 'node:fs';\nexport { b } from '../effects/x.ts';\nconst c = await import('execa');\nimport 'os';";
    expect(importsOf(sample)).toEqual(['node:fs', '../effects/x.ts', 'execa', 'os']);
  });
});
