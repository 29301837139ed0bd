// The built `mode current --refresh` (dist/cli/observation.cjs): mode.cjs
// require()s it and nothing else of ours, so the observation never starts
// Node's ESM loader and its ~20 chunks, and it says what the source says.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCacheLister, requiredFiles, useBuiltPackage } from './support/built-package.ts';
import { MODE_TS } from './support/cli.ts';

const pkg = useBuiltPackage('observation-bundle');

const run = (entry: string, args: string[], nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, entry, ...args], { env: { PATH: process.env.PATH, ...pkg.dirs.env, NO_COLOR: '1' }, encoding: 'utf8' });

describe('the observation bundle', () => {
  it('mode.cjs runs current --refresh by require() alone: its own file, bin-support.cjs and observation.cjs', () => {
    const got = run(join(pkg.outdir, 'mode.cjs'), ['current', '--json', '--refresh'], ['--require', requireCacheLister(pkg.dirs.root)]);
    expect(JSON.parse(got.stdout)).toMatchObject({ source: 'fresh' });
    expect(requiredFiles(got.stderr, pkg.outdir)).toEqual(['bin-support.cjs', 'mode.cjs', 'observation.cjs']);
  });

  it('holds no other verb: their loaders say whose bug a reached one would be', () => {
    const text = readFileSync(join(pkg.outdir, 'observation.cjs'), 'utf8');
    expect(text).toContain('is not in the observation bundle: cli/bundle-path.ts should have sent this command line to the full CLI');
    expect(text).not.toMatch(/xstate\.(done|error)\.actor|new Ajv/);
  });

  it.each([[['current', '--refresh', '--help']], [['current', '--refresh', '--bogus']]])('mode %j says what the source says, with the same exit', (args) => {
    const source = run(MODE_TS, args);
    const built = run(join(pkg.outdir, 'mode.cjs'), args);
    expect(built.status).toBe(source.status);
    expect(built.stdout).toBe(source.stdout);
    expect(built.stderr).toBe(source.stderr);
  });

  it('observes as the source does: the same facts, each known or unknown by the same code', () => {
    // this machine's own processes (a PipeWire that starts, a GPU holder) may change between two observations
    const shape = (stdout: string) => {
      const out = JSON.parse(stdout) as { source: string; facts: Record<string, { status: string; code?: string }> };
      return { source: out.source, facts: Object.fromEntries(Object.entries(out.facts).filter(([name]) => name !== 'observedAt').map(([name, f]) => [name, typeof f === 'object' ? `${f.status} ${f.code ?? ''}` : f])) };
    };
    const source = run(MODE_TS, ['current', '--json', '--refresh']);
    const built = run(join(pkg.outdir, 'mode.cjs'), ['current', '--json', '--refresh']);
    expect(shape(built.stdout)).toEqual(shape(source.stdout));
  });
});
