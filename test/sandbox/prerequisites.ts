// Tests that need root, bubblewrap or systemd's tools skip with the reason
// in their name on a developer machine without them, but FAIL in CI
// (CI=true), where a silent skip would hide that nothing was tested.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export function findOnPath(tool: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export const SYSTEMD_BINARY = '/lib/systemd/systemd';

/** What is missing to boot the sandbox: each entry says what to do about it. */
export function sandboxPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not running as root: the sandbox mounts file systems and enters namespaces; run it as root');
  if (!findOnPath('bwrap')) missing.push('bwrap not found on PATH: apt-get install bubblewrap');
  if (!findOnPath('nsenter')) missing.push('nsenter not found on PATH: apt-get install util-linux');
  if (!executable(SYSTEMD_BINARY)) missing.push(`${SYSTEMD_BINARY} missing: apt-get install systemd`);
  if (!findOnPath('systemctl')) missing.push('systemctl not found on PATH: apt-get install systemd');
  // the desktop user's real sound server and the tools the audio tests play and ask with (user-manager.ts)
  for (const [path, pkg] of [['/usr/bin/pipewire', 'pipewire'], ['/usr/bin/pipewire-pulse', 'pipewire-pulse'], ['/usr/bin/wireplumber', 'wireplumber'], ['/usr/bin/pactl', 'pulseaudio-utils'], ['/usr/bin/paplay', 'pulseaudio-utils'], ['/usr/bin/sox', 'sox'], ['/usr/lib/systemd/user/dbus.service', 'dbus-user-session']] as const) {
    if (!executable(path) && !(path.endsWith('.service') && readable(path))) missing.push(`${path} missing: apt-get install ${pkg}`);
  }
  return missing;
}

export function toolPrerequisites(tools: readonly string[]): string[] {
  return tools.filter((tool) => !findOnPath(tool)).map((tool) => `${tool} not found on PATH`);
}

/** describe() when nothing is missing; a skipped suite naming why; a failing test under CI=true. */
export function describeWhen(missing: readonly string[], name: string, body: () => void): void {
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has what it needs (CI must not skip)', () => {
        throw new Error(`cannot run "${name}" in CI: ${missing.join('; ')}`);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${missing.join('; ')}`, body);
  }
}
