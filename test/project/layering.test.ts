// The pure core must stay pure: predicates/ and machines/ import no IO, so the
// same chart runs against a simulated host and a real one. And effects/ only
// does IO: it decides nothing (no predicates/, no chart), so what it records
// is what its caller decided and handed in; from machines/ it sees only the
// types of the Host port it implements. shared/ sits under all of them.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, typeOnlyImportsOf } from './source-imports.ts';

const root = new URL('../../', import.meta.url).pathname;
const FORBIDDEN = [/^node:/, /^execa$/, /(^|\/)effects\//, /^(fs|child_process|os|path|net|http)$/];

const HOST_PORT = /(^|\/)machines\/host\.ts$/;

/** What effects/ may not import: any of predicates/, and machines/ except the Host port's types. */
function effectsOffences(text: string): string[] {
  const typeOnly = typeOnlyImportsOf(text);
  return importsOf(text).filter((spec) => /(^|\/)predicates\//.test(spec) || (/(^|\/)machines\//.test(spec) && !(HOST_PORT.test(spec) && typeOnly.includes(spec))));
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

  // shared/ is what every layer may import, so it may import nothing of theirs (nor any IO).
  it('shared/ imports no IO and nothing of the project', () => {
    const offenders = sourceFiles(join(root, 'shared')).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => FORBIDDEN.some((re) => re.test(spec)) || spec.startsWith('.'))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  // scripts/ is part of the package's source (nix/package.nix); test support is not, and a script needing it is a test.
  it('scripts/ imports nothing from test/', () => {
    const offenders = sourceFiles(join(root, 'scripts')).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => /(^|\/)test\//.test(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('effects/ imports nothing from predicates/ and only the Host port\'s types from machines/', () => {
    const offenders = sourceFiles(join(root, 'effects')).flatMap((file) => effectsOffences(readFileSync(file, 'utf8')).map((spec) => `${relative(root, file)} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('the effects rule tells the Host port\'s types from code of the core', () => {
    const allowed = "import type { Host } from '../machines/host.ts';\nexport type { Clock } from '../../machines/host.ts';";
    expect(effectsOffences(allowed)).toEqual([]);
    const code = [
      "import { classify } from '../../predicates/classify.ts';",
      "import type { Check } from '../predicates/check.ts';",
      "import { type Host } from '../machines/host.ts';",
      "import { controller } from '../machines/controller.ts';",
      "const chart = await import('../machines/controller.ts');",
    ].join('\n');
    expect(effectsOffences(code)).toEqual(['../../predicates/classify.ts', '../predicates/check.ts', '../machines/host.ts', '../machines/controller.ts', '../machines/controller.ts']);
  });

  it('the import scanner sees static, dynamic and bare imports', () => {
    const sample = "import { a } from 'node:fs';\nexport { b } from '../effects/x.ts';\nconst c = await import('execa');\nimport 'os';";
    expect(importsOf(sample)).toEqual(['node:fs', '../effects/x.ts', 'execa', 'os']);
  });
});
