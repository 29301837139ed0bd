// What the first file of the built command (cli/mode-bin.js, ES5) asks before
// it loads anything else, bundled on its own as dist/cli/bin-support.cjs: where
// the compile cache goes, and whether the command line takes the read-only,
// the observation or the controller bundle. One source for each, shared with cli/mode.ts.
export { compileCacheDir } from './compile-cache.ts';
export { takesControllerPath } from './controller-path.ts';
export { takesObservationPath } from './observation-path.ts';
export { takesReadOnlyPath } from './read-only-path.ts';
