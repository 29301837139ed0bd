// Bundles the `mode` command into dist/cli/ (dist/cli/mode.cjs is package.json's
// bin and what the units run): plain JavaScript for `node --jitless` in the
// units, which cannot strip TypeScript, and a faster start for everyone. The builds:
// - the full CLI, code-split, so each verb's dependencies are in its own chunk
//   (`mode status` never loads xstate, execa, ajv or zod);
// - three single-file CommonJS bundles, which mode.cjs require()s without
//   Node's ESM loader (loading twenty chunks through it was a fifth of a cold
//   `mode status`): read-only.cjs, what status, current and desired run
//   (cli/read-only-path.ts); observation.cjs, `current --refresh`
//   (cli/observation-path.ts); controller.cjs, what the units run (`mode run`,
//   `mode boot`, `mode cancel`: cli/controller-path.ts), instead of ~46 chunks;
// - bin-support.cjs (cli/bin-support.ts) and ajv's validators, each on its own.
// docs/cli.md, "Speed", has the numbers.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { CONTROLLER_VERBS } from '../cli/controller-path.ts';
import { OBSERVATION_VERB } from '../cli/observation-path.ts';
import { READ_ONLY_VERBS } from '../cli/read-only-path.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUTDIR = `${root}dist/cli`;

// CommonJS dependencies bundled into ESM still call require() for node builtins.
// (esbuild keeps cli/mode.ts's own #! line first.)
const BANNER = [
  "import { createRequire as __modeCreateRequire } from 'node:module';",
  'const require = __modeCreateRequire(import.meta.url);',
].join('\n');

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  banner: { js: BANNER },
  metafile: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;

const cliDir = `${root}cli/`;

/**
 * A one-file bundle leaves out what its command lines never run: the table's loaders of the
 * verbs it does not keep, `current --refresh`'s observation unless it keeps it, and `mode --version`
 * (all of package.json). cli/mode-bin.js and cli/mode.ts send those command lines to the full CLI;
 * reached anyway, the left-out module says whose bug it is instead of a missing file.
 */
function leftOutOf(bundle: { file: string; pathModule: string; verbs: readonly string[]; fresh: boolean }): Plugin {
  return {
    name: `left-out-of-${bundle.file}`,
    setup(b) {
      const verbModule = /^\.\/([a-z-]+)\/index\.ts$/;
      b.onResolve({ filter: /^\.\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const verb = verbModule.exec(args.path)?.[1];
        const leftOut =
          (args.importer === `${cliDir}table.ts` && verb !== undefined && !bundle.verbs.includes(verb)) ||
          (!bundle.fresh && args.importer === `${cliDir}current/index.ts` && args.path === './fresh.ts') ||
          (args.importer === `${cliDir}main.ts` && args.path === './version.ts');
        return leftOut ? { path: `${args.importer} -> ${args.path}`, namespace: 'left-out' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in the ${bundle.file} bundle: ${bundle.pathModule} should have sent this command line to the full CLI`)});\n`,
        loader: 'js',
      }));
    },
  };
}

const leftOutOfReadOnly = leftOutOf({ file: 'read-only', pathModule: 'cli/read-only-path.ts', verbs: READ_ONLY_VERBS, fresh: false });
// `current` with its fresh observation: the observers, the predicates, the records and zod
const leftOutOfObservation = leftOutOf({ file: 'observation', pathModule: 'cli/observation-path.ts', verbs: [OBSERVATION_VERB], fresh: true });
// what the units run: `mode run`, `mode boot` and `mode cancel` (the controller, the records, zod)
const leftOutOfController = leftOutOf({ file: 'controller', pathModule: 'cli/controller-path.ts', verbs: CONTROLLER_VERBS, fresh: false });

/** The ajv validators, each its own file beside the read-only bundle (their own copy; they hold no state). */
const AJV_FILES = {
  'record-validators': `${cliDir}record-views/validators.generated.js`,
  'config-validators': `${cliDir}config/config-shape.generated.js`,
};

const ajvBesideReadOnly: Plugin = {
  name: 'ajv-beside-read-only',
  setup(b) {
    b.onResolve({ filter: /\.generated\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const found = Object.entries(AJV_FILES).find(([, file]) => file === `${args.resolveDir}/${args.path.replace(/^\.\//, '')}`);
      return found ? { path: `./${found[0]}.js`, external: true } : undefined;
    });
  },
};

export async function buildCli(outdir: string = DEFAULT_OUTDIR): Promise<{ outdir: string; files: string[] }> {
  rmSync(outdir, { recursive: true, force: true });
  // CommonJS, so that dist/cli/mode.cjs can require() them without Node's ESM loader (cli/mode-bin.js)
  const commonJs = { ...common, format: 'cjs', banner: {}, outExtension: { '.js': '.cjs' } } as const satisfies BuildOptions;
  // one entry, three bundles: each leaves out what its command lines never run (leftOutOf above)
  const bundleEntry = `${cliDir}bundle-entry.ts`;
  const readOnly = await build({ ...commonJs, entryPoints: { 'read-only': bundleEntry }, outdir, plugins: [leftOutOfReadOnly, ajvBesideReadOnly] });
  // `current --refresh` as one CommonJS file too, for mode.cjs's require(): ~20 chunks through the ESM loader cost it ~10 ms
  const observation = await build({ ...commonJs, entryPoints: { observation: bundleEntry }, outdir, plugins: [leftOutOfObservation, ajvBesideReadOnly] });
  // and the controller's verbs, which the units run: ~46 chunks through the ESM loader cost a run ~2 MB of peak RSS and ~20 ms of its start (docs/cli.md)
  const controller = await build({ ...commonJs, entryPoints: { controller: bundleEntry }, outdir, plugins: [leftOutOfController, ajvBesideReadOnly] });
  const binSupport = await build({ ...commonJs, entryPoints: { 'bin-support': `${cliDir}bin-support.ts` }, outdir });
  // ajv's validators, which the read-only bundle loads only for a record or a config the fast check says no to
  const validators = await build({ ...common, entryPoints: AJV_FILES, outdir });
  const result = await build({
    ...common,
    // vllm-models: what vllm-ready.service runs after /health (units/vllm-ready.service);
    // audio-state: what dubnium-audio-state@.service runs as the session user (cli/audio-state.ts);
    // notice-agent: what dubnium-notice@.service runs as the session user (cli/notice-agent.ts)
    entryPoints: {
      // what mode.cjs (cli/mode-bin.js, copied below) imports for every other command line
      'mode-main': `${root}cli/mode.ts`,
      'vllm-models': `${root}cli/vllm-models.ts`,
      'audio-state': `${root}cli/audio-state.ts`,
      'notice-agent': `${root}cli/notice-agent.ts`,
    },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  // Copied, not bundled: esbuild would add the banner's static import, and the
  // file must stay one that an old Node can parse (see the file). CommonJS by its name in a
  // "type": "module" package.
  const bin = `${outdir}/mode.cjs`;
  copyFileSync(`${root}cli/mode-bin.js`, bin);
  chmodSync(bin, 0o755);
  const outputs = [readOnly, observation, controller, binSupport, validators, result].flatMap((r) => Object.keys(r.metafile.outputs));
  return { outdir, files: [bin, ...outputs.filter((f) => /\.c?js$/.test(f))] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, outdir } = await buildCli();
  console.log(`built ${files.length} files in ${outdir}`);
}
