// What a verb loads is what it costs to start: the read-only verbs must not
// load xstate, execa, ajv or zod (a module hook lists every file Node loads),
// and the bundle the units run with node --jitless must work.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, requireCacheLister, requiredFiles, type BuiltPackage } from './support/built-package.ts';
import { MODE_TS } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { proven, transition, writeRecords } from './support/records.ts';
import { EXIT } from '../../cli/exit-codes.ts';

const HEAVY = /\/node_modules\/(xstate|execa|ajv|zod)\//;
/** what a controller run (`mode run`) and a request load; the read-only verbs must not */
const CONTROLLER = /\/cli\/(run|request|boot)\/|\/machines\/|\/predicates\//;

let dirs: CliDirs;
let hooks: string;
beforeAll(async () => {
  dirs = cliDirs();
  await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
  // A module hook that prints every URL Node loads.
  hooks = join(dirs.root, 'register.mjs');
  writeFileSync(join(dirs.root, 'hooks.mjs'), 'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n');
  writeFileSync(hooks, "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
});
afterAll(() => dirs.cleanup());

function loaded(entry: string, args: string[], extraNodeArgs: string[] = []): string[] {
  const result = spawnSync(process.execPath, [...extraNodeArgs, '--import', hooks, entry, ...args], { env: { PATH: process.env.PATH, ...dirs.env }, encoding: 'utf8' });
  expect(result.stderr.split('\n').filter((l) => l && !l.startsWith('LOADED '))).toEqual([]);
  return result.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
}

describe('start-up cost', () => {
  it.each([['status'], ['status', '--json'], ['current'], ['desired'], ['history', '-n', '3'], ['--help']])('mode %s loads no xstate, execa, ajv or zod', (...args) => {
    const files = loaded(MODE_TS, args);
    expect(files.some((f) => f.endsWith('/cli/main.ts'))).toBe(true);
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
    // each verb's module is imported by its table row only when it runs: reading never loads the controller
    expect(files.filter((f) => CONTROLLER.test(f))).toEqual([]);
  });

  it('the hook does see heavy modules when a verb needs them (explain loads xstate and zod)', () => {
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
    const files = loaded(MODE_TS, ['explain', 'compute']);
    expect(files.some((f) => /\/node_modules\/xstate\//.test(f))).toBe(true);
    expect(files.some((f) => /\/node_modules\/zod\//.test(f))).toBe(true);
  });
});

describe('the bundle', () => {
  let built: BuiltPackage;
  let outdir: string;
  beforeAll(async () => {
    built = await buildPackage('bundle');
    outdir = built.outdir;
  }, 120_000);
  afterAll(() => built.cleanup());

  // mode.cjs: package.json's bin and what the units run
  const bundle = (args: string[], nodeArgs: string[] = []) =>
    spawnSync(process.execPath, [...nodeArgs, join(outdir, 'mode.cjs'), ...args], { env: { PATH: process.env.PATH, ...dirs.env }, encoding: 'utf8' });

  it('runs under node --jitless, as the units run it', () => {
    // --no-expose-wasm only silences Node's warning that --jitless turns WebAssembly off.
    const jitless = ['--jitless', '--no-expose-wasm'];
    const status = bundle(['status', '--json'], jitless);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ observed: { mode: 'desktop' }, exit: { code: 0 } });
    expect(bundle(['--version'], jitless).stdout).toMatch(/^mode \d/);
  });

  it('mode.cjs runs status by require() alone: its own file, bin-support.cjs and read-only.cjs', () => {
    const run = bundle(['status'], ['--require', requireCacheLister(dirs.root)]);
    expect(run.status, run.stderr).toBe(0);
    expect(requiredFiles(run.stderr, outdir)).toEqual(['bin-support.cjs', 'mode.cjs', 'read-only.cjs']);
  });

  it('runs status from the read-only bundle, which holds no xstate, execa, zod or controller, and loads no ES module', () => {
    // the module hook lists every file Node's ESM loader loads: only the entry, which --import itself routes
    // through the loader; whatever status loads after it comes by require()
    expect(loaded(join(outdir, 'mode.cjs'), ['status']).filter((f) => f.startsWith('file:'))).toEqual([pathToFileURL(join(outdir, 'mode.cjs')).href]);
    for (const file of ['mode.cjs', 'bin-support.cjs', 'read-only.cjs']) {
      expect(readFileSync(join(outdir, file), 'utf8'), file).not.toMatch(/xstate\.(done|error)\.actor|ZodError|new Ajv|execa/);
    }
  });

  it('keeps every other verb in the code-split CLI, each in its own chunk', () => {
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
    const files = loaded(join(outdir, 'mode.cjs'), ['explain', 'compute', '--format', 'dot']);
    expect(files.filter((f) => f.endsWith('/mode-main.js'))).toHaveLength(1);
    expect(files.filter((f) => /\/chunks\/explain-[A-Z0-9]+\.js$/.test(f))).toHaveLength(1);
    // and no single-file bundle: require() of one would show in require.cache
    const run = bundle(['explain', 'compute', '--format', 'dot'], ['--require', requireCacheLister(dirs.root)]);
    expect(run.status, run.stderr).toBe(0);
    expect(requiredFiles(run.stderr, outdir)).toEqual(['bin-support.cjs', 'mode.cjs']);
  });

  it('builds zod’s schemas interpreted: an observation compiles no zod parser (cli/zod-interpreted.ts)', () => {
    // its own folders: a refresh records the observation, which the other tests' records must not get
    const own = cliDirs();
    try {
      const preload = new URL('./support/count-zod-parsers.mjs', import.meta.url).pathname;
      const args = ['--jitless', '--no-expose-wasm', '--import', preload, join(outdir, 'mode.cjs'), 'current', '--json', '--refresh'];
      const run = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, ...own.env }, encoding: 'utf8' });
      expect(JSON.parse(run.stdout)).toMatchObject({ source: 'fresh' });
      expect(run.stderr).toContain('zod parsers compiled: 0\n');
    } finally {
      own.cleanup();
    }
  });

  it('keeps zod’s English messages only: the namespace import leaves its other locales out (test/project/zod-namespace-import.test.ts)', () => {
    const code = [...readdirSync(outdir), ...readdirSync(join(outdir, 'chunks')).map((f) => join('chunks', f))].filter((f) => /\.c?js$/.test(f));
    const texts = code.map((f) => readFileSync(join(outdir, f), 'utf8'));
    // zod's own en.js and de.js say this, in their languages; esbuild writes the ü of de.js as \xFC, so the
    // German is looked for by its ASCII part
    const GERMAN = 'ltige Eingabe: erwartet';
    expect(texts.filter((t) => t.includes('Invalid input: expected')).length).toBeGreaterThan(0);
    expect(readFileSync(new URL('../../node_modules/zod/v4/locales/de.js', import.meta.url), 'utf8')).toContain(GERMAN);
    expect(code.filter((_, i) => texts[i]!.includes(GERMAN))).toEqual([]);
  });

  // Node's builtins by require(), as the CommonJS bundles reach them (scripts/build-cli.ts): an ESM import of node:fs or node:util reads every export, and their lazy ones load these
  it('loads none of the Node internals that only reading every export of node:fs and node:util would', () => {
    const list = join(dirs.root, 'module-list.cjs');
    writeFileSync(list, "process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n') + '\\n'));\n");
    const run = bundle(['status'], ['--require', list]);
    expect(run.status, run.stderr).toBe(0);
    const internals = run.stderr.split('\n').filter((l) => l.startsWith('NativeModule '));
    expect(internals).toContain('NativeModule internal/util/parse_args/parse_args');
    expect(internals.filter((l) => /fs\/promises|readline|worker_threads|internal\/util\/diff/.test(l))).toEqual([]);
  });

  it.each([['status'], ['status', '--json'], ['status', '--verbose'], ['current'], ['current', '--json'], ['desired', '--json'], ['status', '--help'], ['status', '--bogus']])(
    'mode %s from the read-only bundle says what the source says, with the same exit',
    (...args) => {
      writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
      const env = { PATH: process.env.PATH, ...dirs.env, NO_COLOR: '1' };
      const source = spawnSync(process.execPath, [MODE_TS, ...args], { env, encoding: 'utf8' });
      // times in the text ("requested 3s ago") may tick between the runs
      const steady = (text: string) => text.replace(/[\d.]+(m[\d.]+)?s ago/g, 'N ago').replace(/\d+ms ago/g, 'N ago');
      const built = spawnSync(process.execPath, [join(outdir, 'mode.cjs'), ...args], { env, encoding: 'utf8' });
      expect(steady(built.stdout)).toBe(steady(source.stdout));
      expect(built.stderr).toBe(source.stderr);
      expect(built.status).toBe(source.status);
    },
  );

  it('names a record or a config that fails its schema as the source does (ajv loaded beside the bundle)', () => {
    const env = { PATH: process.env.PATH, ...dirs.env, NO_COLOR: '1' };
    const both = (args: string[]) => [join(outdir, 'mode.cjs'), MODE_TS].map((entry) => spawnSync(process.execPath, [entry, ...args], { env, encoding: 'utf8' }));
    const transitionFile = join(dirs.runtimeDir, 'last-transition.json');
    const good = readFileSync(transitionFile, 'utf8');
    writeFileSync(transitionFile, JSON.stringify({ ...(JSON.parse(good) as object), outcome: 'exploded' }));
    try {
      const [built, source] = both(['status', '--json']);
      expect(built!.stdout).toContain('does not match its schema at /outcome');
      expect(built!.stdout).toBe(source!.stdout);
    } finally {
      writeFileSync(transitionFile, good);
    }
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, JSON.stringify({ schemaVersion: 1 }));
    const [built, source] = both(['status']);
    expect(built!.stderr).toContain("does not match the config schema at (top level): must have required property 'hostname'");
    expect(built!.stderr).toBe(source!.stderr);
    expect(built!.status).toBe(source!.status);
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
  });

  it('says which Node it needs, and exits 69, when the Node running it is older than 22 (faked by a preload)', () => {
    const fake = join(dirs.root, 'node18.cjs');
    writeFileSync(fake, "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.0' } }); Object.defineProperty(process, 'version', { value: 'v18.19.0' });\n");
    const old = bundle(['status'], ['--require', fake]);
    expect(old.stderr).toBe('mode needs Node 22 or newer (found v18.19.0)\n');
    expect(old.stdout).toBe('');
    expect(old.status).toBe(EXIT.toolMissing);
  });

  // The system node of Debian 12 and of this project's CI image is 20; where it is not there (or not old), there is nothing real to run.
  const systemNode = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
  const systemMajor = systemNode.status === 0 ? Number(/^v(\d+)/.exec(systemNode.stdout)?.[1]) : NaN;
  it.runIf(systemMajor < 22)('run by the real old system node (/usr/bin/node), says so instead of a SyntaxError stack', () => {
    const old = spawnSync('/usr/bin/node', [join(outdir, 'mode.cjs'), 'status'], { env: { PATH: process.env.PATH, ...dirs.env }, encoding: 'utf8' });
    expect(old.stderr).toBe(`mode needs Node 22 or newer (found ${systemNode.stdout.trim()})\n`);
    expect(old.status).toBe(EXIT.toolMissing);
  });

  it('keeps its first file one an old Node can parse: plain ES5 and one import()', () => {
    const text = readFileSync(join(outdir, 'mode.cjs'), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bin = text.replace(/^#!.*$|\/\/.*$|\/\*.*?\*\//gm, '');
    expect(bin).not.toMatch(/^\s*(const|let|import\s|export\s)|=>|import\.meta|`/m);
    expect(bin.match(/import\(/g)).toHaveLength(1);
    // package.json's bin is the CommonJS one
    expect((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: { mode: string } }).bin.mode).toBe('./dist/cli/mode.cjs');
  });

  it('draws the chart from the bundle (xstate and the renderers bundled)', () => {
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
    const dot = bundle(['explain', 'compute', '--format', 'dot']);
    expect(dot.status, dot.stderr).toBe(0);
    expect(spawnSync('dot', ['-Tsvg'], { input: dot.stdout }).status).toBe(0);
  });
});
