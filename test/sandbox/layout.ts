// Where things are, outside (the host) and inside the sandbox. The sandbox's
// /tmp, /run and /var are fresh tmpfs; the host folder of one sandbox is
// bound read-write at INSIDE_DIR and the repository read-only at INSIDE_REPO,
// both under /run so that units with PrivateTmp=yes still see them.
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const STUB_UNITS_DIR = join(import.meta.dirname, 'stub-units');
export const STAND_INS_DIR = join(import.meta.dirname, 'stand-ins');

export const INSIDE_DIR = '/run/dubnium-sandbox';
export const INSIDE_REPO = '/run/dubnium-repo';
/** SUBDIRS.userVisible inside, outside the 0700 sandbox folder so the desktop user can read it */
export const USER_VISIBLE_INSIDE = '/run/dubnium-sandbox-user';
export const INSIDE_NODE = `${INSIDE_REPO}/node_modules/.bin/node`;

/** The user whose graphical session the display-manager stand-in opens (added to the sandbox's /etc/passwd). */
export const DESKTOP_USER = { name: 'dubnium-desktop', uid: 4242, gid: 4242 } as const;

/**
 * Opt-in (SandboxOptions.polkit): the group the project's polkit rule grants
 * "start" of mode-controller@<mode>.service, one member and one non-member
 * (each with a private primary group), added to the sandbox's /etc/passwd and /etc/group.
 */
export const MODECTL_GROUP = { name: 'modectl', gid: 4245 } as const;
export const MEMBER_USER = { name: 'operator-member', uid: 4243, gid: 4243 } as const;
export const NON_MEMBER_USER = { name: 'operator-other', uid: 4244, gid: 4244 } as const;

/** Sub-folders of a sandbox folder; the same relative layout outside and inside. */
export const SUBDIRS = {
  /** SYSTEMD_UNIT_PATH's own part: our units, the stubs, drop-ins and .wants links */
  units: 'units',
  /** tools first on the controller's PATH inside (the fake nvidia-smi) */
  bin: 'bin',
  /** bundled JavaScript run by node --jitless inside (the fake nvidia-smi, the controller) */
  lib: 'lib',
  /** what tests set: a /proc root (meminfo, asound, <pid>/comm) and the stand-ins' control files */
  world: 'world',
  /** wrappers for code OUTSIDE: systemctl, loginctl, nvidia-smi entering the sandbox with nsenter */
  outsideBin: 'outside-bin',
  /** the sandbox's /etc/passwd, /etc/group and /etc/shadow (the host's plus the desktop user) */
  etc: 'etc',
  /** empty: generator search paths point here so no host generator runs */
  empty: 'empty',
  /** what the desktop user's processes read (user units, bundles they run): bound read-only at USER_VISIBLE_INSIDE */
  userVisible: 'user-visible',
} as const;

export function inside(relative: string): string {
  return `${INSIDE_DIR}/${relative}`;
}
