// An esbuild plugin for the `mode` bundle: zod's `z.locales` namespace (every
// translation of its error messages, 259 KB of the 447 KB zod puts in the
// bundle) becomes one that holds English only. `import { z } from 'zod'`
// keeps the whole namespace reachable, so esbuild cannot drop the unused
// ones itself; zod configures English by default and nothing here calls
// `z.config(z.locales.xx())`. Measured under `node --jitless`: the controller
// run's modules peak 2.9 MB lower without them. The library build (tsc) and
// the tests use zod as published. (Since the sources import zod as a namespace,
// `import * as z from 'zod'`, esbuild drops the unused locales by itself too:
// test/project/zod-namespace-import.test.ts; the plugin stays as the guard.)
import type { Plugin } from 'esbuild';
import { dirname, join } from 'node:path';

const LOCALES_INDEX = /(^|\/)locales\/index\.js$/;
const NAMESPACE = 'zod-english-only';

export function zodEnglishOnly(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: LOCALES_INDEX }, (args) =>
        /\/node_modules\/zod\//.test(args.importer) ? { path: join(args.resolveDir, args.path), namespace: NAMESPACE } : undefined,
      );
      // the index's folder holds en.js beside it, whichever of zod's folders imported it
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: "export { default as en } from './en.js';\n", loader: 'js', resolveDir: dirname(args.path) }));
    },
  };
}
