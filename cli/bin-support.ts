// What the first file of the built command (cli/mode-bin.js, ES5) asks before
// it loads anything else, bundled on its own as dist/cli/bin-support.cjs: where
// the compile cache goes, and which single-file bundle, if any, runs the
// command line. One source for each, shared with cli/mode.ts and the build.
export { compileCacheDir } from './compile-cache.ts';
export { bundleFor } from './bundle-path.ts';
