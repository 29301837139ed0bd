// The entry of the controller bundle (cli/controller-path.ts says which
// command lines take it): the full CLI's own io and main, which
// scripts/build-cli.ts bundles into one CommonJS file with `mode run`, `mode
// boot` and `mode cancel`, and without the other verbs.
export { processIo } from './io.ts';
export { main } from './main.ts';
