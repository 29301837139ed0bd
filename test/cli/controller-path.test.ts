// Which command lines the built CLI runs from its controller bundle (cli/controller-path.ts):
// the verbs the units run, every command line of them; no other bundle takes them.
import { describe, expect, it } from 'vitest';
import { CONTROLLER_VERBS, takesControllerPath } from '../../cli/controller-path.ts';
import { takesObservationPath } from '../../cli/observation-path.ts';
import { takesReadOnlyPath } from '../../cli/read-only-path.ts';
import { COMMANDS } from '../../cli/table.ts';

describe('the controller path', () => {
  it('names verbs of the table', () => {
    const verbs = COMMANDS.filter((c) => c.path.length === 1).map((c) => c.path[0]);
    for (const verb of CONTROLLER_VERBS) expect(verbs).toContain(verb);
  });

  it.each([[['run', 'desktop']], [['run', 'studio-local']], [['boot']], [['cancel', '--by', 'alice']], [['run', '--help']]])('takes %j, which no other bundle does', (argv) => {
    expect(takesControllerPath(argv)).toBe(true);
    expect(takesReadOnlyPath(argv)).toBe(false);
    expect(takesObservationPath(argv)).toBe(false);
  });

  it.each([[[]], [['status']], [['current', '--refresh']], [['request', 'desktop']], [['history']], [['--help', 'run']], [['explain', 'compute']]])('leaves %j to the others', (argv) =>
    expect(takesControllerPath(argv)).toBe(false),
  );
});
