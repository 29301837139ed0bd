// Which users have a running user manager (user@UID.service), read from the
// cgroup v2 tree: systemd makes user.slice/user-UID.slice/user@UID.service
// for each one and removes it when the manager is gone. Each of them may run a
// sound server, so each must have published its audio state. Reading the tree
// needs no tool and no privilege (ProtectControlGroups= leaves it readable).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../../shared/describe-error.ts';

export type UserManagers = { ok: true; uids: number[]; path: string } | { ok: false; reason: string; path: string };

export function listUserManagers(cgroupRoot: string): UserManagers {
  if (!existsSync(join(cgroupRoot, 'cgroup.controllers'))) {
    return { ok: false, path: cgroupRoot, reason: `${cgroupRoot} is not a cgroup v2 mount (no cgroup.controllers), so the user managers cannot be listed; boot with the unified cgroup hierarchy (NixOS's default)` };
  }
  const userSlice = join(cgroupRoot, 'user.slice');
  let entries: string[];
  try {
    entries = readdirSync(userSlice);
  } catch (error) {
    // no user.slice yet: nobody has logged in since boot
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return { ok: true, uids: [], path: userSlice };
    return { ok: false, path: userSlice, reason: `cannot list ${userSlice}: ${describeError(error)}` };
  }
  const uids = entries
    .map((name) => /^user-(\d+)\.slice$/.exec(name)?.[1])
    .filter((uid): uid is string => uid !== undefined && existsSync(join(userSlice, `user-${uid}.slice`, `user@${uid}.service`)))
    .map(Number)
    .sort((a, b) => a - b);
  return { ok: true, uids, path: userSlice };
}
