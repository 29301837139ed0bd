#!/bin/sh
# The leader of the sandbox's graphical session (graphical-session.service),
# doing what startplasma-x11 does once the display server runs: give the user
# manager the session's DISPLAY and start the user's session target
# (desktop-session-stand-in.target binds graphical-session.target, as
# plasma-workspace-x11.target does, and wants the compositor stand-in), then
# stay for as long as the session lasts. Runs as the desktop user inside its PAM session; pam_systemd has
# started user@UID.service before this runs.
set -eu
systemctl --user import-environment DISPLAY XDG_SESSION_ID
systemctl --user start --no-block desktop-session-stand-in.target
exec /usr/bin/sleep infinity
