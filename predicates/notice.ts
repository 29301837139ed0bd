// Whether a switch must warn someone before it ends their session, and what
// it tells them. A plan that terminates a graphical session someone is using
// (logind calls it active, and not idle for longer than the config allows)
// first warns that user and waits the grace, so the person at the desk learns
// it from a notification, not from their windows vanishing, and can refuse.
// A session logind does not describe fully (active or idleness unread) counts
// as used: the cost of a needless warning is a minute, the other cost is a
// lost session.
import type { Config } from '../schemas/config.ts';
import type { Facts, Session } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { PlanStep } from '../schemas/records.ts';

export interface NoticeRequest {
  sessionId: string;
  user: string | null;
  uid: number | null;
  graceMs: number;
  summary: string;
  body: string;
}

/** The session is in use: the active one on its seat, and not idle beyond the config's limit. */
export function isAttended(session: Session, config: Config): boolean {
  if (session.active === false) return false;
  const limitMs = config.notice.idleAfterSeconds * 1000;
  const idleFor = session.idleHint === true ? (session.idleForMs ?? null) : null;
  return !(config.notice.idleAfterSeconds > 0 && idleFor !== null && idleFor >= limitMs);
}

const terminatedSessionIds = (plan: readonly PlanStep[]): string[] =>
  plan.flatMap((s) => (s.action.kind === 'terminate-session' ? [s.action.sessionId] : []));

/** The warning a switch to `target` owes before it runs `plan`, or null when nobody is to be warned. */
export function noticeFor(target: ModeName, facts: Facts, config: Config, plan: readonly PlanStep[]): NoticeRequest | null {
  if (config.notice.graceSeconds === 0 || facts.sessions.status !== 'known') return null;
  const ending = new Set(terminatedSessionIds(plan));
  const sessions = facts.sessions.value.filter((s) => ending.has(s.id) && isAttended(s, config));
  // one seat has one active session; prefer it over one whose activity logind did not say
  const session = sessions.find((s) => s.active === true) ?? sessions[0];
  if (session === undefined) return null;
  const seconds = config.notice.graceSeconds;
  return {
    sessionId: session.id,
    user: session.user,
    uid: session.uid,
    graceMs: seconds * 1000,
    summary: `Switching to ${target} in ${seconds} s: your session will end`,
    body:
      `The machine is switching to ${target}, which ends this graphical session (${session.id}` +
      `${session.user === null ? '' : ` of ${session.user}`}) and closes every window in it. ` +
      `Save your work now. To refuse, choose "Keep my session" or run \`mode cancel\`.`,
  };
}
