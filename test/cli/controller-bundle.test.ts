// The built verbs the units run (dist/cli/controller.cjs): mode.cjs require()s
// it and nothing else of ours, so a controller run never starts Node's ESM
// loader and its ~46 chunks, and it says what the source says.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCacheLister, requiredFiles, useBuiltPackage } from './support/built-package.ts';
import { MODE_TS } from './support/cli.ts';

const pkg = useBuiltPackage('controller-bundle');

// as the units run it; no command line here reaches the host (help, usage errors, a refused mode,
// which only writes its rejection into the test's own state folder)
const JITLESS = ['--jitless', '--no-expose-wasm'];
const run = (entry: string, args: string[], nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...JITLESS, ...nodeArgs, entry, ...args], { env: { PATH: process.env.PATH, ...pkg.dirs.env, NO_COLOR: '1' }, encoding: 'utf8' });

describe('the controller bundle', () => {
  it.each([[['run', '--help']], [['boot', '--help']], [['cancel', '--help']], [['run', 'no-such-mode']]])('mode.cjs runs %j by require() alone: its own file, bin-support.cjs and controller.cjs', (args) => {
    const got = run(join(pkg.outdir, 'mode.cjs'), args, ['--require', requireCacheLister(pkg.dirs.root)]);
    expect(requiredFiles(got.stderr, pkg.outdir)).toEqual(['bin-support.cjs', 'controller.cjs', 'mode.cjs']);
  });

  it('holds the controller and no other verb: their loaders say whose bug a reached one would be', () => {
    const text = readFileSync(join(pkg.outdir, 'controller.cjs'), 'utf8');
    expect(text).toContain('is not in the controller bundle: cli/bundle-path.ts should have sent this command line to the full CLI');
    expect(text).toMatch(/xstate\.(done|error)\.actor/);
    // no ES module is imported from it: everything it runs is in the one file
    expect(text).not.toMatch(/\bimport\(/);
  });

  it.each([[['run', '--help']], [['run']], [['boot', '--bogus']], [['cancel', '--help']], [['cancel']]])('mode %j says what the source says, with the same exit', (args) => {
    const source = spawnSync(process.execPath, [MODE_TS, ...args], { env: { PATH: process.env.PATH, ...pkg.dirs.env, NO_COLOR: '1' }, encoding: 'utf8' });
    const built = run(join(pkg.outdir, 'mode.cjs'), args);
    expect(built.status).toBe(source.status);
    expect(built.stdout).toBe(source.stdout);
    expect(built.stderr).toBe(source.stderr);
  });
});
