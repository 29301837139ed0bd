// Running things inside the sandbox as one of the polkit option's users
// (MEMBER_USER in group modectl, NON_MEMBER_USER outside it), the way an
// operator's shell would: their uid, their primary gid and the groups
// /etc/group gives them (setpriv --init-groups), a clean environment, and
// `mode` as the package installs it (scripts/build-cli.ts's bundle, run by
// node with --jitless as the units run it).
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli.ts';
import type { CommandResult } from './command.ts';
import { INSIDE_NODE, SUBDIRS, inside, type MEMBER_USER, type NON_MEMBER_USER } from './layout.ts';
import type { Sandbox } from './sandbox.ts';

export type SandboxUser = typeof MEMBER_USER | typeof NON_MEMBER_USER;

const USER_PATH = '/usr/local/bin:/usr/bin:/bin';
const CLI_SUBDIR = `${SUBDIRS.lib}/mode-cli`;

/** Builds the `mode` bundle (dist/cli's layout) into the sandbox folder; returns mode.cjs's path inside. */
export async function installCli(sandbox: Sandbox): Promise<string> {
  await buildCli(join(sandbox.dir, CLI_SUBDIR));
  return inside(`${CLI_SUBDIR}/mode.cjs`);
}

/** argv inside the sandbox as `user`, with only `env` (and PATH, USER, LOGNAME, the C locale); argv[0] must not contain "=" (env would take it for a variable). */
export function runAs(sandbox: Sandbox, user: SandboxUser, argv: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  const environment = { PATH: USER_PATH, USER: user.name, LOGNAME: user.name, LC_ALL: 'C', ...env };
  return sandbox.exec(
    ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', 'env', '-i', ...Object.entries(environment).map(([k, v]) => `${k}=${v}`), ...argv],
    timeoutMs,
  );
}

/** `mode <args>` as `user`: the bundle from installCli, the records and config of the sandbox's controller. */
export function modeAs(sandbox: Sandbox, user: SandboxUser, modeCli: string, args: readonly string[], timeoutMs = 5 * 60_000): Promise<CommandResult> {
  return runAs(
    sandbox,
    user,
    [INSIDE_NODE, '--jitless', '--no-expose-wasm', modeCli, ...args],
    { RUNTIME_DIRECTORY: '/run/mode-controller', STATE_DIRECTORY: '/var/lib/mode-controller', DUBNIUM_CONFIG: sandbox.configPathInside },
    timeoutMs,
  );
}
