// The desktop user's own systemd (user@UID.service, the real `systemd --user`)
// inside the sandbox, as logind starts it on a real host when the session
// opens, with the real PipeWire, WirePlumber, pipewire-pulse and session bus.
//
// What keeps it inside the sandbox:
//   - its unit path (SYSTEMD_UNIT_PATH, set by a drop-in on user@.service) is
//     only its runtime control and transient folders under /run/user/UID and
//     USER_UNITS_INSIDE, a read-only copy of the few user units the tests need:
//     the host's /usr/lib/systemd/user, /etc/systemd/user and ~/.config are
//     never read (Debian's user units are copied from there, byte for byte);
//   - generators come from the sandbox's empty folder;
//   - /home is a tmpfs of the sandbox (bwrap-args.ts) and the user's home is
//     made in it by desktop-user-home.service; /run/user/UID is made by the real
//     user-runtime-dir@.service in the sandbox's /run.
// The folders the user's processes read are bound read-only at paths of their
// own (the sandbox folder itself stays 0700, unreachable for the user).
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForJitless } from './bundle.ts';
import { DESKTOP_USER, INSIDE_DIR, INSIDE_NODE, REPO_ROOT, SUBDIRS, USER_VISIBLE_INSIDE } from './layout.ts';
import { execLine, type DropIn } from './unit-folder.ts';

/** Debian's rtkit-daemon.service (package rtkit), copied into the system unit folder when installed */
export const RTKIT_UNIT = '/lib/systemd/system/rtkit-daemon.service';

/**
 * rtkit lowers RLIMIT_NPROC for its user `rtkit` to a few processes, and the kernel counts them per
 * real uid across every sandbox (and the host): with two sandboxes up, the second rtkit-daemon failed
 * with "pthread_create failed: Resource temporarily unavailable" and the boot was degraded. The
 * sandbox's only change to Debian's unit: keep its resource limits as they are.
 */
const RTKIT_DROP_IN: DropIn = { unit: 'rtkit-daemon.service', sections: { Service: ['ExecStart=', 'ExecStart=/usr/libexec/rtkit-daemon --no-limit-resources'] } };

/** Debian's user units, copied from the host into the user manager's only unit folder. */
export const HOST_USER_UNITS_DIR = '/usr/lib/systemd/user';
const COPIED_USER_UNITS = [
  'basic.target', 'default.target', 'exit.target', 'paths.target', 'shutdown.target', 'sockets.target', 'timers.target',
  'graphical-session.target', 'graphical-session-pre.target',
  'app.slice', 'background.slice', 'session.slice', 'systemd-exit.service',
  'dbus.service', 'dbus.socket',
  'pipewire.service', 'pipewire.socket', 'pipewire-pulse.service', 'pipewire-pulse.socket', 'wireplumber.service',
] as const;

/** what `systemctl --user enable` makes on Debian (/etc/systemd/user and the package's own .wants) */
const USER_WANTS: Record<string, readonly string[]> = {
  'sockets.target': ['dbus.socket', 'pipewire.socket', 'pipewire-pulse.socket'],
  'default.target': ['pipewire.service', 'pipewire-pulse.service'],
  'pipewire.service': ['wireplumber.service'],
};

export const USER_UNITS_INSIDE = `${USER_VISIBLE_INSIDE}/user-units`;
export const USER_LIB_INSIDE = `${USER_VISIBLE_INSIDE}/lib`;
export const DESKTOP_HOME = `/home/${DESKTOP_USER.name}`;
export const DESKTOP_RUNTIME_DIR = `/run/user/${DESKTOP_USER.uid}`;

export interface UserUnit {
  /** file name, e.g. compositor-stand-in.service */
  name: string;
  text: string;
  /** targets (or services) of the user manager that want it, e.g. ['graphical-session.target'] */
  wantedBy?: readonly string[];
}

export interface UserManagerPlan {
  /** host paths copied into the system manager's unit folder */
  systemUnits: string[];
  dropIns: DropIn[];
  roBinds: { source: string; target: string }[];
}

/** Writes the user manager's unit folder (Debian's units, the wants links, extra units) and says how to wire it. */
export function prepareUserManager(dir: string, extraUnits: readonly UserUnit[] = []): UserManagerPlan {
  const visible = join(dir, SUBDIRS.userVisible);
  const units = join(visible, 'user-units');
  mkdirSync(units, { recursive: true, mode: 0o755 });
  mkdirSync(join(visible, 'lib'), { recursive: true, mode: 0o755 });
  for (const name of COPIED_USER_UNITS) copyFileSync(join(HOST_USER_UNITS_DIR, name), join(units, name));
  const wants = new Map<string, string[]>(Object.entries(USER_WANTS).map(([k, v]) => [k, [...v]]));
  for (const unit of extraUnits) {
    writeUserUnit(units, unit);
    for (const target of unit.wantedBy ?? []) wants.set(target, [...(wants.get(target) ?? []), unit.name]);
  }
  for (const [target, wanted] of wants) {
    mkdirSync(join(units, `${target}.wants`), { recursive: true });
    for (const name of wanted) symlinkSync(`../${name}`, join(units, `${target}.wants`, name));
  }
  const uid = '%i';
  return {
    // rtkit: PipeWire asks it (D-Bus activated) for realtime scheduling of its data thread, as on the workstation
    // user.slice: systemd's own, as every host ships it (the slice studio-local weights)
    systemUnits: ['/lib/systemd/system/user@.service', '/lib/systemd/system/user.slice', ...(existsSync(RTKIT_UNIT) ? [RTKIT_UNIT] : [])],
    dropIns: [
      ...(existsSync(RTKIT_UNIT) ? [RTKIT_DROP_IN] : []),
      {
        unit: 'user@.service',
        sections: {
          Unit: ['Wants=desktop-user-home.service', 'After=desktop-user-home.service'],
          Service: [
            `Environment=SYSTEMD_UNIT_PATH=/run/user/${uid}/systemd/user.control:/run/user/${uid}/systemd/transient:${USER_UNITS_INSIDE}`,
            `Environment=SYSTEMD_GENERATOR_PATH=${INSIDE_DIR}/${SUBDIRS.empty}`,
            `Environment=SYSTEMD_ENVIRONMENT_GENERATOR_PATH=${INSIDE_DIR}/${SUBDIRS.empty}`,
          ],
        },
      },
    ],
    roBinds: [{ source: visible, target: USER_VISIBLE_INSIDE }],
  };
}

function writeUserUnit(folder: string, unit: UserUnit): void {
  if (!/^[\w@.-]+\.(service|socket|target|slice)$/.test(unit.name)) throw new Error(`"${unit.name}" is not a user unit file name`);
  if (COPIED_USER_UNITS.includes(unit.name as (typeof COPIED_USER_UNITS)[number])) throw new Error(`${unit.name} is Debian's user unit, copied already`);
  writeFileSync(join(folder, unit.name), unit.text.endsWith('\n') ? unit.text : `${unit.text}\n`, { mode: 0o644 });
}

/**
 * The packaged dubnium-audio-state@.service runs as the user, so its program is
 * bundled into the user-visible folder (the 0700 sandbox folder is closed to
 * the user); only ExecStart differs from units/.
 */
export async function prepareAudioPublisher(dir: string): Promise<DropIn> {
  await bundleForJitless(join(REPO_ROOT, 'cli', 'audio-state.ts'), join(dir, SUBDIRS.userVisible, 'lib', 'audio-state.mjs'));
  return {
    unit: 'dubnium-audio-state@.service',
    sections: { Service: ['ExecStart=', `ExecStart=${execLine([INSIDE_NODE, '--jitless', '--no-expose-wasm', `${USER_LIB_INSIDE}/audio-state.mjs`, '--interval-ms', '1000'])}`] },
  };
}

/** The file the controller reads for the desktop user (units/dubnium-audio-state@.service writes it). */
export const DESKTOP_AUDIO_STATE = `/run/dubnium-audio/${DESKTOP_USER.uid}/state.json`;

/** argv that runs as the desktop user inside, with the session's runtime folder and bus (for pactl, paplay, systemctl --user) */
export function asDesktopUser(argv: readonly string[]): string[] {
  return ['runuser', '-u', DESKTOP_USER.name, '--', 'env', `XDG_RUNTIME_DIR=${DESKTOP_RUNTIME_DIR}`, `DBUS_SESSION_BUS_ADDRESS=unix:path=${DESKTOP_RUNTIME_DIR}/bus`, `HOME=${DESKTOP_HOME}`, 'LC_ALL=C', ...argv];
}
