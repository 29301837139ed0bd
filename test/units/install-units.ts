// How nix/install-units.sh is called outside Nix: by its test and by the
// sandbox, which boots the units it installs. nix/package.nix passes store
// paths; these are the same programs from Debian, so the installed units
// differ from the package's only in those paths.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../sandbox/layout.ts';
import { UNITS_DIR } from './units-dir.ts';

export const INSTALL_UNITS_SCRIPT = join(REPO_ROOT, 'nix/install-units.sh');

/** What the units run as /usr/lib/dubnium/bin/<name>; the keys are the NAMEs nix/package.nix passes. */
export type UnitPrograms = {
  node: string;
  'vllm-serve': string;
  true: string;
  curl: string;
};

/** Debian's coreutils and curl, where nix/package.nix passes theirs from the store. */
export const DEBIAN_PROGRAMS = { true: '/usr/bin/true', curl: '/usr/bin/curl' } as const;

/** The argument list after the script; `programs` is UnitPrograms, or fewer or more names for a test of the script's checks. */
export function installUnitsArgs(unitsDir: string, out: string, packageDir: string, programs: Readonly<Record<string, string>>): string[] {
  return [unitsDir, out, packageDir, ...Object.entries(programs).map(([name, program]) => `${name}=${program}`)];
}

/** Where the script puts the units inside OUT. */
export const installedUnitDir = (out: string): string => join(out, 'lib/systemd/system');

/**
 * The files of dist/ that the units run (dist/cli/mode.cjs, ...), relative to the npm package.
 * Whether `npm run build` makes each one is checked against the build itself (test/sandbox/package-install.ts).
 */
export function unitDistFiles(unitsDir = UNITS_DIR): string[] {
  const named = new Set<string>();
  for (const name of readdirSync(unitsDir)) {
    for (const match of readFileSync(join(unitsDir, name), 'utf8').matchAll(/\/usr\/lib\/dubnium\/(dist\/[^\s"']+\.c?js)/g)) named.add(match[1] ?? '');
  }
  return [...named].sort();
}

/** An npm package folder as far as install-units.sh looks: dist/ with the files the units run, empty (for tests that never run them). */
export function writeUnbuiltPackage(packageDir: string): void {
  for (const dist of unitDistFiles()) {
    mkdirSync(dirname(join(packageDir, dist)), { recursive: true });
    writeFileSync(join(packageDir, dist), '');
  }
}
