// The Nix side of the NixOS module, evaluated with nix-instantiate: every .nix
// file parses, every nix/tests suite prints [], and nix/lib/config.nix turns
// hosts/workstation into exactly examples/workstation.config.json, which the
// controller's zod schema accepts (test/project checks the file itself).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Config } from '../../schemas/config.ts';
import { describeResult } from '../sandbox/command.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { nixFiles } from './nix-files.ts';
import { evalJson, NIX_MISSING_HINT, nixInstantiate, REPO_ROOT } from './nix-instantiate.ts';

const golden: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/workstation.config.json'), 'utf8'));
const missing = toolPrerequisites(['nix-instantiate']).map((problem) => `${problem}: ${NIX_MISSING_HINT}`);
const SUITES = ['assertions', 'config', 'npm-lock', 'vllm'];

describeWhen(missing, 'the NixOS module under nix-instantiate', () => {
  it('finds the flake, the module, its library, its tests and the host', () => {
    expect(nixFiles(REPO_ROOT)).toEqual(
      expect.arrayContaining([
        'flake.nix',
        'nix/module.nix',
        'nix/package.nix',
        'nix/lib/assertions.nix',
        'nix/lib/config.nix',
        'nix/tests/default.nix',
        'hosts/workstation/default.nix',
        'hosts/workstation/hardware-configuration.nix',
      ]),
    );
  });

  it('parses every .nix file', async () => {
    // One process for all files; a syntax error names its file and line.
    const result = await nixInstantiate(['--parse', ...nixFiles(REPO_ROOT)]);
    expect(result.exitCode, describeResult(result)).toBe(0);
  });

  it('rejects a file that does not parse (the parse check can fail)', async () => {
    const result = await nixInstantiate(['--parse', '-E', '{ a = ; }']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/syntax error/);
  });

  it.each(SUITES)('nix/tests/%s.nix prints []', async (suite) => {
    expect(await evalJson(`nix/tests/${suite}.nix`)).toEqual([]);
  });

  it('nix/tests, which the flake runs as checks.x86_64-linux.nix-lib, prints []', async () => {
    expect(await evalJson('nix/tests')).toEqual([]);
  });

  it('generates examples/workstation.config.json for hosts/workstation, and the schema accepts it', async () => {
    const generated = await evalJson('nix/tests/workstation-config.nix');
    expect(generated).toEqual(golden);
    const parsed = Config.safeParse(generated);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});
