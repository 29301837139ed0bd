// Every command line of every unit the project ships or generates names its
// program by an absolute path: units/ as written, the units nix/install-units.sh
// installs into the package, the drop-ins nix/module.nix writes, and the
// sandbox's own stub units. NixOS's systemd resolves no bare command name
// (test/units/exec-lint.ts says why), and a Debian boot would not notice one.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runCommand } from '../sandbox/command.ts';
import { STUB_UNITS_DIR } from '../sandbox/layout.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { evalJson, NIX_MISSING_HINT } from '../nix/nix-instantiate.ts';
import { bareExecLines, bareExecProblems, execPrograms } from './exec-lint.ts';
import { DEBIAN_PROGRAMS, INSTALL_UNITS_SCRIPT, installedUnitDir, installUnitsArgs, writeUnbuiltPackage } from './install-units.ts';
import { readUnitFile, settings } from './unit-file.ts';
import { unitFileNames, UNITS_DIR, unitLines } from './units-dir.ts';

const UNIT_FILE = /\.(service|target|slice|socket|timer|path|mount)$/;
const lintFolder = (dir: string) =>
  readdirSync(dir)
    .filter((name) => UNIT_FILE.test(name))
    .flatMap((name) => bareExecLines(readUnitFile(readFileSync(join(dir, name), 'utf8'))).map((bare) => `${name}:${bare.line}: ${bare.key} ${bare.problem}`));

describe('the Exec lint', () => {
  it.each(['true', '-true', '@true marker', ':true', '+true', '!true', '!!true', '-@true marker', '+-true', 'curl --fail http://127.0.0.1:8000/health'])(
    'fails on a bare name: %s',
    (value) => {
      const problems = bareExecProblems('ExecStart', value);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.problem).toMatch(/by a bare name, which NixOS's systemd cannot resolve/);
    },
  );

  it.each(['/usr/lib/dubnium/bin/true', '-/usr/bin/true', '@/usr/bin/sleep stand-in infinity', ':/bin/sh -c x', '+/bin/true', '!/bin/true', '!!/bin/true', '-@/bin/sleep x 1', '"/usr/bin/true"', ''])(
    'passes an absolute program or the list reset: %j',
    (value) => {
      expect(bareExecProblems('ExecStartPre', value)).toEqual([]);
    },
  );

  it('checks every command line of a value, split on a lone ;', () => {
    expect(execPrograms('/bin/a x ; b y ; -/bin/c')).toEqual(['/bin/a', 'b', '/bin/c']);
    expect(bareExecProblems('ExecStartPre', '/bin/a x ; b y').map((p) => p.program)).toEqual(['b']);
  });

  it('refuses a login-shell command line (|) and a prefix without a program', () => {
    expect(bareExecProblems('ExecStart', '|true')[0]?.problem).toMatch(/login shell/);
    expect(bareExecProblems('ExecStart', '-')[0]?.problem).toMatch(/prefix but no program/);
  });

  it('reads every Exec key of a unit and names the line; other keys are not commands', () => {
    const lines = readUnitFile(
      ['[Service]', 'ExecCondition=test', 'ExecStartPre=/bin/true', 'ExecStart=', 'ExecStart=true', 'ExecStartPost=-echo', 'ExecReload=kill', 'ExecStop=stop', 'ExecStopPost=rm', 'ExecSearchPath=/usr/bin', 'Environment=PATH=/usr/bin'].join('\n'),
    );
    expect(bareExecLines(lines).map((b) => `${b.line} ${b.key} ${b.program}`)).toEqual([
      '2 ExecCondition test',
      '5 ExecStart true',
      '6 ExecStartPost echo',
      '7 ExecReload kill',
      '8 ExecStop stop',
      '9 ExecStopPost rm',
    ]);
  });

  it('finds the bare names the units had before issue 12 (the lint can fail on a real unit)', () => {
    const before = unitLines('vllm-ready.service').map((line) => (line.kind === 'setting' && line.key === 'ExecStart' ? { ...line, value: line.value.replace(/^\/usr\/lib\/dubnium\/bin\/curl/, 'curl') } : line));
    expect(bareExecLines(before).map((b) => b.program)).toEqual(['curl']);
  });
});

describe('units/ as shipped', () => {
  it('runs at least one program in each service', () => {
    for (const name of unitFileNames().filter((n) => n.endsWith('.service'))) {
      expect(settings(unitLines(name), 'Service').some((s) => s.key === 'ExecStart' && s.value !== ''), name).toBe(true);
    }
  });

  it('names every program by an absolute path', () => {
    expect(lintFolder(UNITS_DIR)).toEqual([]);
  });

  it('the sandbox stub units do too', () => {
    expect(lintFolder(STUB_UNITS_DIR)).toEqual([]);
  });
});

describe('the units nix/install-units.sh installs into the package', () => {
  let dir: string;
  let unitDir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dubnium-exec-paths-'));
    const packageDir = join(dir, 'npm');
    writeUnbuiltPackage(packageDir);
    const placeholder = join(dir, 'vllm-not-configured');
    writeFileSync(placeholder, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const out = join(dir, 'out');
    const result = await runCommand('bash', [INSTALL_UNITS_SCRIPT, ...installUnitsArgs(UNITS_DIR, out, packageDir, { node: process.execPath, 'vllm-serve': placeholder, ...DEBIAN_PROGRAMS })], { timeoutMs: 30_000 });
    expect(result.exitCode, describeResult(result)).toBe(0);
    unitDir = installedUnitDir(out);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('name every program by an absolute path to an executable file', () => {
    expect(lintFolder(unitDir)).toEqual([]);
    const programs = readdirSync(unitDir).flatMap((name) =>
      settings(readUnitFile(readFileSync(join(unitDir, name), 'utf8')))
        .filter((s) => s.key.startsWith('Exec'))
        .flatMap((s) => execPrograms(s.value)),
    );
    expect(programs.length).toBeGreaterThanOrEqual(5);
    for (const program of programs) expect((statSync(program).mode & 0o111) !== 0, program).toBe(true);
  });
});

describeWhen(
  toolPrerequisites(['nix-instantiate']).map((problem) => `${problem}: ${NIX_MISSING_HINT}`),
  'the drop-ins nix/module.nix writes',
  () => {
    it('name every program by an absolute path, in every variant of the wiring', async () => {
      const lines = (await evalJson('nix/tests/exec-lines.nix')) as { variant: string; unit: string; key: string; value: string }[];
      // vllm.service's command line at least (reset + command in three variants)
      expect(lines.filter((l) => l.value !== '').length).toBeGreaterThanOrEqual(3);
      expect(lines.flatMap((l) => bareExecProblems(l.key, l.value).map((p) => `${l.variant} ${l.unit} ${l.key}: ${p.problem}`))).toEqual([]);
    });
  },
);
