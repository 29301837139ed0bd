// Bundles the `mode` command into dist/cli/ (dist/cli/mode.cjs is package.json's
// bin and what the units run): plain JavaScript for `node --jitless` in the
// units, which cannot strip TypeScript, and a faster start for everyone. The builds:
// - the full CLI, code-split, so each verb's dependencies are in its own chunk
//   (`mode status` never loads xstate, execa, ajv or zod);
// - three single-file CommonJS bundles, which mode.cjs require()s without
//   Node's ESM loader (loading twenty chunks through it was a fifth of a cold
//   `mode status`): read-only.cjs, what status, current and desired run;
//   observation.cjs, `current --refresh`; controller.cjs, what the units run
//   (`mode run`, `mode boot`, `mode cancel`), instead of ~46 chunks
//   (cli/bundle-path.ts says which command lines each one runs);
// - bin-support.cjs (cli/bin-support.ts) and ajv's validators, each on its own.
// docs/cli.md, "Speed", has the numbers.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { BUNDLE_VERBS, BUNDLES, type BundleName } from '../cli/bundle-path.ts';

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
function leftOutOf(file: BundleName): Plugin {
  const verbs = BUNDLE_VERBS[file];
  // `current` with its fresh observation (the observers, the predicates, the records and zod) only there
  const fresh = file === 'observation';
  return {
    name: `left-out-of-${file}`,
    setup(b) {
      const verbModule = /^\.\/([a-z-]+)\/index\.ts$/;
      b.onResolve({ filter: /^\.\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const verb = verbModule.exec(args.path)?.[1];
        const leftOut =
          (args.importer === `${cliDir}table.ts` && verb !== undefined && !verbs.includes(verb)) ||
          (!fresh && args.importer === `${cliDir}current/index.ts` && args.path === './fresh.ts') ||
          (args.importer === `${cliDir}main.ts` && args.path === './version.ts');
        return leftOut ? { path: `${args.importer} -> ${args.path}`, namespace: 'left-out' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in the ${file} bundle: cli/bundle-path.ts should have sent this command line to the full CLI`)});\n`,
        loader: 'js',
      }));
    },
  };
}


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
  const bundles = [];
  for (const file of BUNDLES) bundles.push(await build({ ...commonJs, entryPoints: { [file]: `${cliDir}bundle-entry.ts` }, outdir, plugins: [leftOutOf(file), ajvBesideReadOnly] }));
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
  const outputs = [...bundles, binSupport, validators, result].flatMap((r) => Object.keys(r.metafile.outputs));
  return { outdir, files: [bin, ...outputs.filter((f) => /\.c?js$/.test(f))] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, outdir } = await buildCli();
  console.log(`built ${files.length} files in ${outdir}`);
}
