// The entry of the observation bundle (cli/observation-path.ts says which
// command lines take it): the full CLI's own io and main, which
// scripts/build-cli.ts bundles into one CommonJS file with `mode current` and
// its fresh observation, and without the other verbs.
export { processIo } from './io.ts';
export { main } from './main.ts';
