// Which single-file bundle the built CLI runs a command line from (cli/bundle-path.ts):
// the read-only verbs from read-only.cjs, never one that observes or changes the machine;
// `current --refresh` only from observation.cjs; the verbs the units run, every command line
// of them, from controller.cjs; everything else from the full CLI. One answer per command
// line, so no two bundles take the same one.
import { describe, expect, it } from 'vitest';
import { BUNDLE_VERBS, BUNDLES, bundleFor, type BundleName } from '../../cli/bundle-path.ts';
import { COMMANDS } from '../../cli/table.ts';

describe('the bundle of a command line', () => {
  it.each(BUNDLES)('%s names only verbs of the table, each a single word', (bundle) => {
    const verbs = COMMANDS.filter((c) => c.path.length === 1).map((c) => c.path[0]);
    for (const verb of BUNDLE_VERBS[bundle]) expect(verbs).toContain(verb);
  });

  const cases: [string[], BundleName | null][] = [
    // the read-only bundle
    [['status'], 'read-only'],
    [['status', '--json'], 'read-only'],
    [['current'], 'read-only'],
    [['current', '--json'], 'read-only'],
    [['desired'], 'read-only'],
    [['status', '--help'], 'read-only'],
    [['status', '--bogus'], 'read-only'],
    [['status', '--refresh'], 'read-only'],
    // the observation bundle: `current --refresh`, wherever the flag stands
    [['current', '--refresh'], 'observation'],
    [['current', '--json', '--refresh'], 'observation'],
    [['current', '--refresh', '--help'], 'observation'],
    // the controller bundle: what the units run
    [['run', 'desktop'], 'controller'],
    [['run', 'studio-local'], 'controller'],
    [['boot'], 'controller'],
    [['cancel', '--by', 'alice'], 'controller'],
    [['run', '--help'], 'controller'],
    // the full CLI
    [[], null],
    [['--help'], null],
    [['--version'], null],
    [['--help', 'run'], null],
    [['--refresh', 'current'], null],
    [['history'], null],
    [['history', '-n', '3'], null],
    [['request', 'desktop'], null],
    [['explain', 'compute'], null],
    [['doctor'], null],
    [['watch'], null],
    [['statusx'], null],
    [['debug', 'parse'], null],
  ];
  it.each(cases)('runs %j from %s', (argv, bundle) => expect(bundleFor(argv)).toBe(bundle));
});
