// Parses /proc/PID/cgroup into where the process runs, as systemd placed it:
// the system unit (display-manager.service, vllm.service, session-3.scope,
// user@1000.service), the user unit under a user manager
// (session.slice/plasma-kwin_wayland.service), and the logind session a
// session-N.scope stands for. The cgroup v2 line ("0::/path") is used; on a
// hybrid host without it, systemd's own v1 hierarchy ("N:name=systemd:/path").
// The path may carry a prefix (a cgroup namespace seen from outside it): the
// unit is found from the components, not from a fixed position.
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface ProcessPlacement {
  /** the cgroup path, e.g. /user.slice/user-1000.slice/user@1000.service/session.slice/kwin.service */
  cgroup: string;
  /** the system manager's unit the process belongs to; null for a process in a slice or the root */
  unit: string | null;
  /** the unit of a user manager (user@UID.service) the process belongs to; null outside one */
  userUnit: string | null;
  /** the logind session id when the unit is session-ID.scope */
  session: string | null;
}

const UNIT_NAME = /\.(service|scope|socket|mount|swap)$/;
const USER_MANAGER = /^user@\d+\.service$/;

export function parseProcCgroup(text: string): ParseResult<ProcessPlacement> {
  const lines = splitLines(text);
  const entries = lines.map((line) => /^(\d+):([^:]*):(.*)$/.exec(line));
  const bad = entries.findIndex((m) => m === null);
  if (bad >= 0) return failAt(lines, bad + 1, 'not a /proc/PID/cgroup line (hierarchy-ID:controllers:path)');
  const v2 = entries.find((m) => m?.[1] === '0' && m[2] === '');
  const v1 = entries.find((m) => m?.[2] === 'name=systemd');
  const path = (v2 ?? v1)?.[3];
  if (path === undefined) return failAt(lines, null, 'no cgroup v2 line ("0::/path") and no name=systemd hierarchy: systemd does not manage this process');
  return parseOk(placementOf(path));
}

export function placementOf(cgroup: string): ProcessPlacement {
  const parts = cgroup.split('/').filter((p) => p !== '');
  const manager = parts.findIndex((p) => USER_MANAGER.test(p));
  const systemParts = manager >= 0 ? parts.slice(0, manager + 1) : parts;
  const unit = systemParts.findLast((p) => UNIT_NAME.test(p)) ?? null;
  const userUnit = manager >= 0 ? (parts.slice(manager + 1).findLast((p) => UNIT_NAME.test(p)) ?? null) : null;
  const session = unit === null ? null : (/^session-(.+)\.scope$/.exec(unit)?.[1] ?? null);
  return { cgroup, unit, userUnit, session };
}
