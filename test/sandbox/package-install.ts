// The package inside the sandbox, installed the way nix/package.nix installs
// it: nix/install-units.sh lays out the program tree and rewrites units/ to
// it, and the sandbox boots those installed unit files, not units/ itself. The
// store paths are replaced by Debian's programs (/usr/bin/true, /usr/bin/curl),
// the repository's Node and `npm run build`'s dist/cli (the units run
// dist/cli/mode.cjs and the bundles it requires), so every Exec line is the
// absolute path the package would hold; a bare name could only be found on
// Debian's search path, and the lint (test/units/exec-lint.ts) refuses it
// before the sandbox boots.
//
// The script runs in a bubblewrap view with the package at PACKAGE_INSIDE,
// the path the booted systemd sees, so its own checks (every named path
// exists) hold for the units as loaded. The package is bound read-only into
// the sandbox, like /nix/store, and outside the 0700 sandbox folder, so
// vllm-ready.service's dynamic user can reach curl through it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildCli } from '../../scripts/build-cli.ts';
import { DEBIAN_PROGRAMS, INSTALL_UNITS_SCRIPT, installedUnitDir, installUnitsArgs, unitDistFiles, type UnitPrograms } from '../units/install-units.ts';
import { describeResult, runCommand } from './command.ts';
import { INSIDE_NODE, INSIDE_REPO, REPO_ROOT } from './layout.ts';

/** Where the package is, inside the sandbox (read-only there). */
export const PACKAGE_INSIDE = '/run/dubnium-package';
/** Its host folder, under the sandbox folder. */
const PACKAGE_SUBDIR = 'package-root';

// nix/package.nix's vllmNotConfigured, the placeholder until the module sets vLLM's command line
const VLLM_NOT_CONFIGURED = `#!/bin/sh
echo "vllm.service has no command line yet: set dubnium.vllm.enable = true, dubnium.vllm.package and dubnium.vllm.model in the NixOS configuration" >&2
exit 1
`;

export interface InstalledPackage {
  /** host folder of the unit files install-units.sh wrote */
  unitDir: string;
  /** the read-only bind that puts the package at PACKAGE_INSIDE */
  bind: { source: string; target: string };
}

export async function installPackage(sandboxDir: string): Promise<InstalledPackage> {
  const root = join(sandboxDir, PACKAGE_SUBDIR);
  mkdirSync(root, { recursive: true, mode: 0o755 });
  // the npm package: scripts/build-cli.ts's dist/cli (mode.cjs and the bundles it requires, the
  // controller's among them), beside a package.json of "type": "module" like the package's own.
  // A file of dist/ that a unit runs and npm run build does not make would be missing from the
  // real package too: refused here, not made up.
  await buildCli(join(root, 'npm', 'dist', 'cli'));
  writeFileSync(join(root, 'npm', 'package.json'), '{ "type": "module" }\n');
  const unbuilt = unitDistFiles().filter((dist) => !existsSync(join(root, 'npm', dist)));
  if (unbuilt.length > 0) throw new Error(`units run ${unbuilt.map((dist) => `/usr/lib/dubnium/${dist}`).join(', ')}, which npm run build (scripts/build-cli.ts) does not make: build it there or fix the unit`);
  writeFileSync(join(root, 'vllm-not-configured'), VLLM_NOT_CONFIGURED, { mode: 0o755 });
  const programs: UnitPrograms = { node: INSIDE_NODE, 'vllm-serve': `${PACKAGE_INSIDE}/vllm-not-configured`, ...DEBIAN_PROGRAMS };
  const view = ['--ro-bind', '/', '/', '--tmpfs', '/run', '--bind', root, PACKAGE_INSIDE, '--ro-bind', REPO_ROOT, INSIDE_REPO, '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--die-with-parent', '--new-session'];
  const script = join(INSIDE_REPO, relative(REPO_ROOT, INSTALL_UNITS_SCRIPT));
  const args = installUnitsArgs(`${INSIDE_REPO}/units`, `${PACKAGE_INSIDE}/out`, `${PACKAGE_INSIDE}/npm`, programs);
  const result = await runCommand('bwrap', [...view, '--', 'bash', script, ...args], { timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`nix/install-units.sh could not install the units for the sandbox: ${describeResult(result)}`);
  return { unitDir: installedUnitDir(join(root, 'out')), bind: { source: root, target: PACKAGE_INSIDE } };
}
