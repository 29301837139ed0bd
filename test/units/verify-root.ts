// A throw-away root for `systemd-analyze verify --root=...`: our units, stub
// units for every dependency they name that is not ours, and stub executables
// at every path our Exec*= lines run. systemd-analyze then checks our files
// the way PID1 would load them, without depending on which units or programs
// this machine happens to have, and without a running systemd.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bareExecProblems, EXEC_KEYS, execPrograms } from './exec-lint.ts';
import { settings, type UnitLine } from './unit-file.ts';
import { unitFileNames, unitLines, unitText } from './units-dir.ts';

const DEPENDENCY_KEYS = new Set(['Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds', 'Conflicts', 'Before', 'After', 'OnFailure', 'OnSuccess', 'Slice']);
// pulled in by default dependencies of services, targets and slices
const IMPLICIT_DEPENDENCIES = ['sysinit.target', 'basic.target', 'shutdown.target', 'slices.target', 'system.slice'];
// what the stub services run; our own units name no bare command (exec-lint.ts)
const STUB_PROGRAM = '/usr/bin/true';

export interface VerifyRoot {
  root: string;
  unitDir: string;
  remove(): void;
}

/** The program an Exec*= line runs, without systemd's prefixes (-, @, :, +, !, !!). */
export function execProgram(value: string): string | null {
  const program = execPrograms(value)[0];
  return program === undefined || program === '' ? null : program;
}

export function referencedUnits(lines: readonly UnitLine[]): string[] {
  return settings(lines)
    .filter((s) => DEPENDENCY_KEYS.has(s.key))
    .flatMap((s) => s.value.split(/\s+/))
    .filter((name) => name !== '');
}

function stubUnit(name: string): string {
  const header = `# stub for systemd-analyze verify\n[Unit]\nDescription=stub ${name}\n`;
  if (name.endsWith('.service')) return `${header}\n[Service]\nExecStart=${STUB_PROGRAM}\n`;
  return header;
}

function writeExecutable(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
}

export function createVerifyRoot(): VerifyRoot {
  const root = mkdtempSync(join(tmpdir(), 'dubnium-verify-'));
  const unitDir = join(root, 'etc', 'systemd', 'system');
  mkdirSync(unitDir, { recursive: true });
  const ours = unitFileNames();
  const dependencies = new Set(IMPLICIT_DEPENDENCIES);
  const programs = new Set([STUB_PROGRAM]);
  for (const name of ours) {
    writeFileSync(join(unitDir, name), unitText(name));
    const lines = unitLines(name);
    for (const dep of referencedUnits(lines)) dependencies.add(dep);
    for (const exec of settings(lines).filter((s) => EXEC_KEYS.has(s.key))) {
      // verify would look a bare name up on this machine's search path, which NixOS does not have
      const bare = bareExecProblems(exec.key, exec.value)[0];
      if (bare) throw new Error(`${name}: ${exec.key} ${bare.problem}`);
      for (const program of execPrograms(exec.value)) programs.add(program);
    }
  }
  for (const dep of dependencies) {
    // a template's instance dependency (user@%i.service) needs the template (user@.service)
    const name = /^[^%]+@%[iI]\.[a-z]+$/.test(dep) ? dep.replace(/%[iI]/, '') : dep;
    if (!ours.includes(name) && !name.includes('%')) writeFileSync(join(unitDir, name), stubUnit(name));
  }
  for (const program of programs) writeExecutable(join(root, program));
  return { root, unitDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
