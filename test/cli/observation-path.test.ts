// Which command lines the built CLI runs from its observation bundle (cli/observation-path.ts):
// `current --refresh` only; the read-only bundle keeps the other `current` command lines.
import { describe, expect, it } from 'vitest';
import { OBSERVATION_VERB, takesObservationPath } from '../../cli/observation-path.ts';
import { takesReadOnlyPath } from '../../cli/read-only-path.ts';
import { COMMANDS } from '../../cli/table.ts';

describe('the observation path', () => {
  it('names a verb of the table', () => {
    expect(COMMANDS.filter((c) => c.path.length === 1).map((c) => c.path[0])).toContain(OBSERVATION_VERB);
  });

  it.each([[['current', '--refresh']], [['current', '--json', '--refresh']], [['current', '--refresh', '--help']]])('takes %j, which the read-only bundle does not', (argv) => {
    expect(takesObservationPath(argv)).toBe(true);
    expect(takesReadOnlyPath(argv)).toBe(false);
  });

  it.each([[[]], [['current']], [['current', '--json']], [['status', '--refresh']], [['--refresh', 'current']], [['request', 'desktop']], [['history']]])('leaves %j to the others', (argv) =>
    expect(takesObservationPath(argv)).toBe(false),
  );
});
