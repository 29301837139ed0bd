// The user units of the graphical session, for the desktop user's manager
// (user-manager.ts): what startplasma starts on a real Plasma 6 host, cut down
// to the part that holds the GPU. The session leader (stand-ins/
// graphical-session-leader.sh) starts desktop-session-stand-in.target, which
// binds the user's graphical-session.target (like plasma-workspace-x11.target)
// and wants the compositor, a user unit in session.slice (like
// plasma-kwin_wayland.service). Stopping graphical-session.target stops the
// compositor (PartOf=); ending the session alone does not.
import { DESKTOP_USER, INSIDE_NODE, INSIDE_REPO } from './layout.ts';
import type { UserUnit } from './user-manager.ts';

export const SESSION_TARGET = 'desktop-session-stand-in.target';
export const COMPOSITOR_UNIT = 'compositor-stand-in.service';

export const DESKTOP_SESSION_UNITS: readonly UserUnit[] = [
  {
    name: SESSION_TARGET,
    text: [
      '# The desktop session of the sandbox user (like plasma-workspace-x11.target)',
      '[Unit]',
      'Description=Desktop session (sandbox stand-in)',
      'BindsTo=graphical-session.target',
      'Before=graphical-session.target',
      'Wants=graphical-session-pre.target',
      'After=graphical-session-pre.target',
      `Wants=${COMPOSITOR_UNIT}`,
    ].join('\n'),
  },
  {
    name: COMPOSITOR_UNIT,
    text: [
      '# The compositor of the session (like plasma-kwin_wayland.service): holds the GPU nodes, a client of the X server',
      '[Unit]',
      'Description=Compositor (sandbox stand-in)',
      'PartOf=graphical-session.target',
      'After=graphical-session-pre.target',
      'Before=graphical-session.target',
      '',
      '[Service]',
      'Slice=session.slice',
      `ExecStart=${INSIDE_NODE} ${INSIDE_REPO}/test/sandbox/stand-ins/compositor.ts`,
    ].join('\n'),
  },
];

/** `systemctl --user` of the desktop user's manager, run as that user inside (what the user's own shell would run). */
export function userSystemctlArgv(args: readonly string[]): string[] {
  return ['runuser', '-u', DESKTOP_USER.name, '--', 'env', `XDG_RUNTIME_DIR=/run/user/${DESKTOP_USER.uid}`, 'systemctl', '--user', '--no-pager', ...args];
}
