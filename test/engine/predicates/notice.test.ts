// Whom a switch warns before it ends their session, and the words it uses:
// an active session not idle past the limit (exactly the limit is idle), a
// session whose idleness logind did not say counts as used, only sessions the
// plan ends, the active one first; the notification's text word for word.
import { describe, expect, it } from 'vitest';
import { isAttended, noticeFor } from '../../../predicates/notice.ts';
import { decide } from '../../../predicates/decide.ts';
import type { Config } from '../../../schemas/config.ts';
import type { Session } from '../../../schemas/facts.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor, known, userSession } from '../support/facts.ts';

const withNotice = (notice: Partial<Config['notice']>): Config => ({ ...config, notice: { ...config.notice, ...notice } });
const limitMs = config.notice.idleAfterSeconds * 1000;
const idle = (idleForMs: number | null, idleHint: boolean | null = true): Session => userSession('2', { idleHint, idleForMs });

describe('who is at the session', () => {
  it('idle for exactly the limit is nobody; a millisecond less is someone', () => {
    expect(isAttended(idle(limitMs), config)).toBe(false);
    expect(isAttended(idle(limitMs - 1), config)).toBe(true);
  });
  it('idleness logind did not give, or a session not idle, counts as used', () => {
    expect(isAttended(idle(null), config)).toBe(true);
    expect(isAttended(idle(10 * limitMs, false), config)).toBe(true);
    expect(isAttended(idle(10 * limitMs, null), config)).toBe(true);
  });
  it('with idleAfterSeconds 0 an idle session is still used', () => {
    expect(isAttended(idle(10 * limitMs), withNotice({ idleAfterSeconds: 0 }))).toBe(true);
  });
});

describe('the warning a switch owes', () => {
  const desktop = factsFor('desktop', config);
  const planFor = (sessions: Session[]) => {
    const facts = { ...desktop, sessions: known(sessions) };
    return { facts, plan: decide('compute', facts, config).plan };
  };

  it('goes to the active session the plan ends, word for word', () => {
    const { facts, plan } = planFor([userSession('2', { active: null }), userSession('3', { active: true, user: 'bob', uid: 1001 })]);
    expect(noticeFor('compute', facts, config, plan)).toEqual({
      sessionId: '3',
      user: 'bob',
      uid: 1001,
      graceMs: config.notice.graceSeconds * 1000,
      summary: `Switching to compute in ${config.notice.graceSeconds} s: your session will end`,
      body: 'The machine is switching to compute, which ends this graphical session (3 of bob) and closes every window in it. Save your work now. To refuse, choose "Keep my session" or run `mode cancel`.',
    });
  });

  it('names no user logind did not give', () => {
    const { facts, plan } = planFor([userSession('4', { user: null })]);
    expect(noticeFor('compute', facts, config, plan)?.body).toBe(
      'The machine is switching to compute, which ends this graphical session (4) and closes every window in it. Save your work now. To refuse, choose "Keep my session" or run `mode cancel`.',
    );
  });

  it('warns nobody about a session the plan does not end', () => {
    const { facts } = planFor([userSession('2')]);
    const plan = decide('studio-local', facts, config).plan;
    expect(noticeFor('studio-local', facts, config, plan)).toBeNull();
  });
});
