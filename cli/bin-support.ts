// What the first file of the built command (cli/mode-bin.js, ES5) asks before
// it loads anything else, bundled on its own as dist/cli/bin-support.cjs: where
// the compile cache goes, and whether the command line takes the read-only
// bundle. One source for both, shared with cli/mode.ts.
export { compileCacheDir } from './compile-cache.ts';
export { takesReadOnlyPath } from './read-only-path.ts';
