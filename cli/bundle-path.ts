// Which single-file bundle of dist/cli (made by scripts/build-cli.ts) runs a
// command line, if one does: cli/mode-bin.js require()s it, without Node's ESM
// loader, and every other command line imports the full, code-split CLI.
// - read-only.cjs: status, current and desired, which read the records only,
//   so that their start loads one module instead of twenty chunks;
// - observation.cjs: `current --refresh`, whose observers, predicates and zod
//   would otherwise come as ~20 ES module chunks, a tenth of its cold start;
// - controller.cjs: what the units run, `mode run <mode>`
//   (mode-controller@.service), `mode boot` (mode-boot.service) and `mode
//   cancel --by <user>` (mode-cancel@.service), instead of ~46 chunks (a run's
//   peak RSS and its start).
// `history` checks every event of the audit log with ajv's validator and would
// bring all of it into a bundle: the full CLI runs it. docs/cli.md, "Speed",
// has the numbers. Each bundle holds all of its verbs (their help too), and
// build-cli.ts leaves the others out of it.
export const BUNDLES = ['read-only', 'observation', 'controller'] as const;
export type BundleName = (typeof BUNDLES)[number];

/** The verbs each bundle holds. `current` is in two: read-only.cjs for the records, observation.cjs for `--refresh`. */
export const BUNDLE_VERBS: Readonly<Record<BundleName, readonly string[]>> = {
  'read-only': ['status', 'current', 'desired'],
  observation: ['current'],
  controller: ['run', 'boot', 'cancel'],
};

/** The bundle that runs argv, or null for the full CLI. */
export function bundleFor(argv: readonly string[]): BundleName | null {
  const verb = argv[0];
  if (verb === undefined) return null;
  if (verb === 'current' && argv.includes('--refresh')) return 'observation';
  if (BUNDLE_VERBS['read-only'].includes(verb)) return 'read-only';
  if (BUNDLE_VERBS.controller.includes(verb)) return 'controller';
  return null;
}
