// Sessions fact: `loginctl list-sessions` (JSON where loginctl has it, the
// table otherwise) and ONE `loginctl show-session` for all listed ids. A
// session that closes between the two calls makes show-session fail for
// all ids, so the pair is tried once more before the fact becomes unknown.
import type { Fact, Session } from '../../schemas/facts.ts';
import type { CommandResult } from '../exec/command-result.ts';
import { monotonicMs } from '../monotonic.ts';
import { commandSource, known, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { runInContext, type ObserveContext } from './observe-context.ts';
import { parseLoginctlList } from './parsers/loginctl-list.ts';
import { parseLoginctlShowSession, SESSION_PROPERTIES } from './parsers/loginctl-show-session.ts';
import { failAt, splitLines } from './parsers/parse-result.ts';

export function showSessionArgs(ids: readonly string[]): string[] {
  return ['show-session', ...SESSION_PROPERTIES.flatMap((p) => ['-p', p]), '--', ...ids];
}

export async function collectSessions(ctx: ObserveContext): Promise<Fact<Session[]>> {
  const first = await listAndShow(ctx);
  if (first.status === 'known' || !first.vanished) return first.fact;
  return (await listAndShow(ctx)).fact;
}

type Attempt = { status: 'known'; fact: Fact<Session[]> } | { status: 'unknown'; fact: Fact<Session[]>; vanished: boolean };

async function listAndShow(ctx: ObserveContext): Promise<Attempt> {
  const run = (args: string[]) =>
    runInContext(ctx, 'loginctl', args);
  let listed: CommandResult = await run(['list-sessions', '--output=json']);
  if (listed.kind === 'failed' && /output|json|unrecognized option|invalid option/i.test(listed.stderr)) {
    // a loginctl without JSON for list-sessions: read the table instead
    listed = await run(['list-sessions']);
  }
  let readAt = ctx.now().toISOString();
  if (listed.kind !== 'ok') return { status: 'unknown', fact: unknownFromCommand(listed, readAt), vanished: false };
  const list = parseLoginctlList(listed.stdout);
  if (!list.ok) return { status: 'unknown', fact: unknownFromParse(list, commandSource(listed), readAt, 'the session list of loginctl'), vanished: false };
  const ids = list.value.sessions.map((s) => s.id);
  if (ids.length === 0) return { status: 'known', fact: known([], commandSource(listed), readAt) };

  const shown = await run(showSessionArgs(ids));
  readAt = ctx.now().toISOString();
  if (shown.kind !== 'ok') {
    const vanished = shown.kind === 'failed' && /No session '[^']*' known/.test(shown.stderr);
    return { status: 'unknown', fact: unknownFromCommand(shown, readAt), vanished };
  }
  const source = commandSource(shown);
  const sessions = parseLoginctlShowSession(shown.stdout, monotonicMs());
  if (!sessions.ok) return { status: 'unknown', fact: unknownFromParse(sessions, source, readAt, 'loginctl show-session'), vanished: false };
  const byId = new Map(sessions.value.map((s) => [s.id, s]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    const failure = failAt(splitLines(shown.stdout), null, `loginctl show-session did not answer for session ${missing.join(', ')}`);
    return { status: 'unknown', fact: unknownFromParse(failure, source, readAt, 'loginctl show-session'), vanished: false };
  }
  return { status: 'known', fact: known(ids.map((id) => byId.get(id)!), source, readAt) };
}
