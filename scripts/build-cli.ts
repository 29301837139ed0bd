// Bundles the `mode` command into dist/cli/ (package.json's bin is
// dist/cli/mode.js): plain JavaScript for `node --jitless` in the units, which
// cannot strip TypeScript, and a faster start for everyone. Code splitting
// keeps each verb's dependencies in its own chunk, so `mode status` loads
// neither xstate nor execa nor zod.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUTDIR = `${root}dist/cli`;

// CommonJS dependencies bundled into ESM still call require() for node builtins.
// (esbuild keeps cli/mode.ts's own #! line first.)
const BANNER = [
  "import { createRequire as __modeCreateRequire } from 'node:module';",
  'const require = __modeCreateRequire(import.meta.url);',
].join('\n');

export async function buildCli(outdir: string = DEFAULT_OUTDIR): Promise<{ outdir: string; files: string[] }> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    // vllm-models: what vllm-ready.service runs after /health (units/vllm-ready.service);
    // audio-state: what dubnium-audio-state@.service runs as the session user (cli/audio-state.ts);
    // notice-agent: what dubnium-notice@.service runs as the session user (cli/notice-agent.ts)
    entryPoints: {
      // dist/cli/mode.js is cli/mode-bin.js, copied below: it checks the Node version first
      'mode-main': `${root}cli/mode.ts`,
      'vllm-models': `${root}cli/vllm-models.ts`,
      'audio-state': `${root}cli/audio-state.ts`,
      'notice-agent': `${root}cli/notice-agent.ts`,
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'warning',
  });
  // Copied, not bundled: esbuild would add the banner's static import, and the
  // file must stay one that an old Node can parse (see the file).
  const bin = `${outdir}/mode.js`;
  copyFileSync(`${root}cli/mode-bin.js`, bin);
  chmodSync(bin, 0o755);
  return { outdir, files: [bin, ...Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, outdir } = await buildCli();
  console.log(`built ${files.length} files in ${outdir}`);
}
