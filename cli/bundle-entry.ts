// The entry of each single-file bundle that cli/mode-bin.js require()s
// (read-only.cjs, observation.cjs, controller.cjs): the full CLI's own io and
// main. What each bundle holds is decided by scripts/build-cli.ts, which
// leaves out the verbs its command lines never run (cli/bundle-path.ts says
// which command lines each one runs).
export { processIo } from './io.ts';
export { main } from './main.ts';
