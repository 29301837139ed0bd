// The words of each mode's check, as `mode explain` and a failed switch's
// record show them: for each mode judged on the facts of every mode (what is
// wrong and what was looked at), and on sessions that could not be read. A
// change of wording is one operators read; the snapshot makes it reviewed.
import { describe, expect, it } from 'vitest';
import { noSeat0GraphicalSession, targetReached } from '../../../predicates/modes.ts';
import { MODES } from '../../../schemas/modes.ts';
import { checkWords } from '../support/check-words.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor, unknown, userSession } from '../support/facts.ts';


describe('the words of every mode check', () => {
  for (const mode of MODES) {
    for (const world of MODES) {
      it(`${mode} judged on the facts of ${world}`, () => {
        expect(checkWords(targetReached(mode, factsFor(world, config), config))).toMatchSnapshot();
      });
    }
  }

  it('no graphical session on seat0: how many there are, or which one is alive, or that they could not be read', () => {
    const facts = factsFor('compute', config);
    expect(checkWords(noSeat0GraphicalSession(facts))).toMatchSnapshot();
    expect(checkWords(noSeat0GraphicalSession({ ...facts, sessions: { ...facts.sessions, status: 'known', value: [userSession('7', { user: null })] } }))).toMatchSnapshot();
    expect(checkWords(noSeat0GraphicalSession({ ...facts, sessions: unknown('loginctl') }))).toMatchSnapshot();
  });
});
