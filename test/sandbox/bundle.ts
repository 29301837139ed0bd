// Code that runs inside the sandbox under MemoryDenyWriteExecute=yes must run
// with node --jitless, which cannot strip TypeScript (it needs WebAssembly):
// such entry points are bundled to plain JavaScript with esbuild first.
import { build } from 'esbuild';

// CommonJS dependencies bundled into ESM still call require() for node builtins
const REQUIRE_SHIM = "import { createRequire as __dubniumCreateRequire } from 'node:module'; const require = __dubniumCreateRequire(import.meta.url);";

export async function bundleForJitless(entry: string, outfile: string): Promise<void> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: REQUIRE_SHIM },
    logLevel: 'silent',
  });
  if (result.errors.length > 0) {
    throw new Error(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  }
}
