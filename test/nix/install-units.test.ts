// nix/install-units.sh, which the Nix package runs in postInstall, on the real
// units/: the package's units name only paths the package provides, every
// program by an absolute path, and nothing but the /usr/lib/dubnium/ prefix
// changes.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeResult, runCommand } from '../sandbox/command.ts';
import { DEBIAN_PROGRAMS, INSTALL_UNITS_SCRIPT as SCRIPT, installUnitsArgs, writeUnbuiltPackage, type UnitPrograms } from '../units/install-units.ts';
import { unitFileNames, UNITS_DIR, unitText } from '../units/units-dir.ts';

interface Layout {
  dir: string;
  out: string;
  packageDir: string;
  placeholder: string;
}

function layout(): Layout {
  const dir = mkdtempSync(join(tmpdir(), 'dubnium-install-units-'));
  const packageDir = join(dir, 'lib/node_modules/dubnium-mode-controller');
  writeUnbuiltPackage(packageDir);
  const placeholder = join(dir, 'vllm-not-configured');
  writeFileSync(placeholder, '#!/bin/sh\nexit 1\n');
  chmodSync(placeholder, 0o755);
  return { dir, out: join(dir, 'out'), packageDir, placeholder };
}

const programs = (l: Layout): UnitPrograms => ({ node: process.execPath, 'vllm-serve': l.placeholder, ...DEBIAN_PROGRAMS });

function install(l: Layout, unitsDir = UNITS_DIR, packageDir = l.packageDir, linked: Record<string, string> = programs(l)) {
  return runCommand('bash', [SCRIPT, ...installUnitsArgs(unitsDir, l.out, packageDir, linked)], { timeoutMs: 30_000 });
}

describe('nix/install-units.sh', () => {
  let l: Layout;
  beforeEach(() => {
    l = layout();
  });
  afterEach(() => rmSync(l.dir, { recursive: true, force: true }));

  it('installs every unit of units/, rewriting only the /usr/lib/dubnium/ prefix', async () => {
    const result = await install(l);
    expect(result.exitCode, describeResult(result)).toBe(0);
    const unitDir = join(l.out, 'lib/systemd/system');
    expect(readdirSync(unitDir).sort()).toEqual(unitFileNames());
    for (const name of unitFileNames()) {
      expect(readFileSync(join(unitDir, name), 'utf8'), name).toBe(
        unitText(name).replaceAll('/usr/lib/dubnium/', `${l.out}/lib/dubnium/`),
      );
    }
  });

  it('leaves every Exec path that pointed into /usr/lib/dubnium resolvable in the package', async () => {
    expect((await install(l)).exitCode).toBe(0);
    const unitDir = join(l.out, 'lib/systemd/system');
    // Every absolute path on an Exec line (program and arguments, after systemd's -@:+! prefixes).
    const named = unitFileNames().flatMap((name) =>
      readFileSync(join(unitDir, name), 'utf8')
        .split('\n')
        .filter((line) => /^Exec\w*=/.test(line))
        .flatMap((line) => [...line.matchAll(/(?:[\s=@:+!-])(\/\S+)/g)].map((m) => m[1]!)),
    );
    const intoPackage = new Set(named.filter((path) => path.startsWith(l.out)));
    // node, mode.cjs (mode-controller@, mode-boot), vllm's placeholder, true (the overlay markers) and curl (vllm-ready) at least
    expect(intoPackage.size).toBeGreaterThanOrEqual(5);
    expect([...intoPackage].filter((path) => !existsSync(path))).toEqual([]);
    expect(named.filter((path) => path.startsWith('/usr/lib/dubnium'))).toEqual([]);
  });

  it('fails, naming the path, when a unit names a file the package lacks', async () => {
    const units = join(l.dir, 'units');
    mkdirSync(units);
    writeFileSync(join(units, 'x.service'), '[Service]\nExecStart=/usr/lib/dubnium/bin/renamed --flag\n');
    const result = await install(l, units);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${l.out}/lib/dubnium/bin/renamed`);
  });

  it('links each program the units run into the package: node, the vLLM placeholder, true and curl', async () => {
    expect((await install(l)).exitCode).toBe(0);
    const bin = join(l.out, 'lib/dubnium/bin');
    expect(readdirSync(bin).sort()).toEqual(['curl', 'node', 'true', 'vllm-serve']);
    for (const [name, program] of Object.entries(programs(l))) expect(realpathSync(join(bin, name)), name).toBe(realpathSync(program));
  });

  it('fails, naming the program, when a unit runs a program the package was not given', async () => {
    const { curl: _curl, ...withoutCurl } = programs(l);
    const result = await install(l, UNITS_DIR, l.packageDir, withoutCurl);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${l.out}/lib/dubnium/bin/curl, which the package does not provide`);
  });

  it.each(['true', '-true', '@true marker', ':true', '+true', '!true', '!!true', '-@curl curl'])(
    'fails on an Exec line that runs a bare name (ExecStart=%s), which NixOS cannot resolve',
    async (command) => {
      const units = join(l.dir, 'units');
      mkdirSync(units);
      writeFileSync(join(units, 'x.service'), `[Service]\nExecStartPre=/usr/lib/dubnium/bin/true\nExecStart=${command}\n`);
      const result = await install(l, units);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/runs "(true|curl)" by a bare name/);
      expect(result.stderr).toContain(`ExecStart=${command}`);
    },
  );

  it('refuses a program that is missing, not executable or not NAME=/path', async () => {
    expect((await install(l, UNITS_DIR, l.packageDir, { ...programs(l), curl: join(l.dir, 'no-curl') })).stderr).toMatch(/no-curl \(for bin\/curl\) is not an executable file/);
    const usage = await install(l, UNITS_DIR, l.packageDir, { ...programs(l), curl: 'curl' });
    expect(usage.exitCode).toBe(64);
    expect(usage.stderr).toMatch(/"curl=curl" is not NAME=\/absolute\/path/);
  });

  it('fails when the package was not built (no dist/)', async () => {
    const result = await install(l, UNITS_DIR, join(l.dir, 'unbuilt'));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/unbuilt\/dist does not exist.*npm run build/);
  });

  it('fails on an empty units folder and on a wrong call', async () => {
    const empty = join(l.dir, 'empty');
    mkdirSync(empty);
    expect((await install(l, empty)).stderr).toMatch(/no unit files/);
    const usage = await runCommand('bash', [SCRIPT, UNITS_DIR], { timeoutMs: 10_000 });
    expect(usage.exitCode).toBe(64);
    expect(usage.stderr).toMatch(/^usage:/);
  });
});
