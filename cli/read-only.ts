// The entry of the read-only bundle (cli/read-only-path.ts says which command
// lines take it): the full CLI's own io and main, which scripts/build-cli.ts
// bundles into one file without the verbs it does not run.
export { processIo } from './io.ts';
export { main } from './main.ts';
