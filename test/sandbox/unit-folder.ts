// The one folder that SYSTEMD_UNIT_PATH names inside the sandbox (besides
// systemd's runtime control and transient folders): the project's units
// exactly as nix/install-units.sh installs them into the package
// (package-install.ts), the stubs, the .wants links that [Install] would make
// (what `systemctl enable` or the NixOS module's wantedBy do), and the
// sandbox's drop-ins, which replace only what must differ: the programs.
// Nothing written here may run a program by a bare name (exec-lint.ts).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bareExecLines } from '../units/exec-lint.ts';
import { readUnitFile, values } from '../units/unit-file.ts';
import { STUB_UNITS_DIR } from './layout.ts';

const UNIT_FILE = /\.(service|target|slice|socket)$/;

export interface DropIn {
  unit: string;
  /** [Section] → lines; an ExecStart list is written with the reset line first */
  sections: Record<string, string[]>;
}

/** One ExecStart= value from an argv; systemd splits on spaces, so arguments must have none. */
export function execLine(argv: readonly string[]): string {
  for (const arg of argv) {
    if (arg === '' || /[\s"'\\]/.test(arg)) throw new Error(`"${arg}" cannot be written into an ExecStart= line unquoted; use paths without spaces or quotes`);
  }
  return argv.join(' ');
}

export function dropInText(dropIn: DropIn): string {
  const lines = ['# Written by the sandbox harness (test/sandbox); the unit itself is units/' + dropIn.unit];
  for (const [section, settings] of Object.entries(dropIn.sections)) lines.push(`[${section}]`, ...settings);
  return `${lines.join('\n')}\n`;
}

export interface UnitFolderOptions {
  /** the unit files nix/install-units.sh installed (InstalledPackage.unitDir) */
  installedUnits: string;
  /** our units that [Install] would enable; mode-boot.service only when its program exists */
  enable: (unit: string) => boolean;
  dropIns: readonly DropIn[];
  /** a test's own changes, applied after the sandbox's */
  testDropIns: readonly DropIn[];
  /** opt-in unit files (host paths) copied in beside the stubs, e.g. polkit.service */
  extraUnits?: readonly string[];
}

export function writeUnitFolder(folder: string, options: UnitFolderOptions): void {
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(STUB_UNITS_DIR).filter((n) => UNIT_FILE.test(n))) copyFileSync(join(STUB_UNITS_DIR, name), join(folder, name));
  for (const path of options.extraUnits ?? []) copyFileSync(path, join(folder, basename(path)));
  for (const name of readdirSync(options.installedUnits).filter((n) => UNIT_FILE.test(n))) {
    copyFileSync(join(options.installedUnits, name), join(folder, name));
    if (!options.enable(name)) continue;
    const lines = readUnitFile(readFileSync(join(options.installedUnits, name), 'utf8'));
    for (const target of values(lines, 'Install', 'WantedBy')) {
      mkdirSync(join(folder, `${target}.wants`), { recursive: true });
      symlinkSync(`../${name}`, join(folder, `${target}.wants`, name));
    }
  }
  for (const [list, file] of [[options.dropIns, '50-sandbox.conf'], [options.testDropIns, '60-test.conf']] as const) {
    for (const dropIn of list) {
      const dir = join(folder, `${dropIn.unit}.d`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, file), dropInText(dropIn));
    }
  }
  refuseBareExecNames(folder);
}

// Debian's systemd would find /usr/bin/<name>, NixOS's would not: a boot here must not hide that
function refuseBareExecNames(folder: string): void {
  // .wants/ holds links to the units themselves
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((path) => !/\.(wants|requires)\//.test(path) && (UNIT_FILE.test(path) || path.endsWith('.conf')));
  const bare = files.flatMap((path) => bareExecLines(readUnitFile(readFileSync(join(folder, path), 'utf8'))).map((b) => `${path}:${b.line}: ${b.key} ${b.problem}`));
  if (bare.length > 0) throw new Error(`the sandbox's unit folder runs a program by a bare name:\n${bare.join('\n')}`);
}
