// Graphical sessions and whether compute may end them. Compute must own the
// GPU, so every live x11/wayland session is either terminated by the plan or
// blocks the switch. We terminate only what a user at the local seat owns:
// a seat0 session of class user, greeter or lock-screen that is not remote
// and whose id is safe to pass to loginctl. Anything else graphical (a remote
// desktop session, a graphical session off seat0, an odd class) is not ours
// to end, so it blocks compute instead. Sessions in state `closing` are
// already going away and count as neither.
import type { Facts, Session } from '../schemas/facts.ts';

const GRAPHICAL_TYPES = new Set(['x11', 'wayland', 'mir']);
const TERMINABLE_CLASSES = new Set(['user', 'greeter', 'lock-screen']);
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isGraphical = (s: Session): boolean => GRAPHICAL_TYPES.has(s.type) && s.state !== 'closing';

/** The sessions that make a desktop authoritative: a user's graphical session on seat0. */
export const isSeat0UserGraphical = (s: Session): boolean => isGraphical(s) && s.seat === 'seat0' && s.class === 'user';

/** Why compute may not terminate this graphical session, or null when it may. */
export function whyNotTerminable(s: Session): string | null {
  if (s.seat !== 'seat0') return `it is not on seat0 (seat ${s.seat ?? 'none'})`;
  if (s.remote !== false) return s.remote === null ? 'logind does not say whether it is remote' : 'it is a remote session';
  if (!TERMINABLE_CLASSES.has(s.class)) return `its class is ${s.class}`;
  if (!SESSION_ID.test(s.id)) return 'its id is not a plain session id';
  return null;
}

export function describeSession(s: Session): string {
  return `session ${s.id} user=${s.user ?? '?'} seat=${s.seat ?? '-'} type=${s.type} class=${s.class} state=${s.state ?? '?'} remote=${String(s.remote)}`;
}

export function graphicalSessions(facts: Facts): Session[] | null {
  return facts.sessions.status === 'known' ? facts.sessions.value.filter(isGraphical) : null;
}
