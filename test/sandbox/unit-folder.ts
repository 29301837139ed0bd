// The one folder that SYSTEMD_UNIT_PATH names inside the sandbox (besides
// systemd's runtime control and transient folders): the project's units
// exactly as in units/, the stubs, the .wants links that [Install] would make
// (what `systemctl enable` or the NixOS module's wantedBy do), and the
// sandbox's drop-ins, which replace only what must differ: the programs.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readUnitFile, values } from '../units/unit-file.ts';
import { UNITS_DIR } from '../units/units-dir.ts';
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
  for (const name of readdirSync(UNITS_DIR).filter((n) => UNIT_FILE.test(n))) {
    copyFileSync(join(UNITS_DIR, name), join(folder, name));
    if (!options.enable(name)) continue;
    const lines = readUnitFile(readFileSync(join(UNITS_DIR, name), 'utf8'));
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
}
