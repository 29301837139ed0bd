// Which command lines the built CLI runs from its read-only bundle (cli/read-only-path.ts):
// the read-only verbs, never one that observes or changes the machine.
import { describe, expect, it } from 'vitest';
import { READ_ONLY_VERBS, takesReadOnlyPath } from '../../cli/read-only-path.ts';
import { COMMANDS } from '../../cli/table.ts';

describe('the read-only path', () => {
  it('names only verbs of the table, each a single word', () => {
    const verbs = COMMANDS.filter((c) => c.path.length === 1).map((c) => c.path[0]);
    for (const verb of READ_ONLY_VERBS) expect(verbs).toContain(verb);
  });

  it.each([[['status']], [['status', '--json']], [['current']], [['current', '--json']], [['desired']], [['status', '--help']], [['status', '--bogus']]])(
    'takes %j',
    (argv) => expect(takesReadOnlyPath(argv)).toBe(true),
  );

  it.each([[[]], [['--help']], [['--version']], [['history', '-n', '3']], [['current', '--refresh']], [['current', '--json', '--refresh']], [['request', 'desktop']], [['run', 'desktop']], [['explain', 'compute']], [['doctor']], [['watch']], [['statusx']], [['debug', 'parse']]])(
    'leaves %j to the full CLI',
    (argv) => expect(takesReadOnlyPath(argv)).toBe(false),
  );
});
