// The drop-ins nix/module.nix gives the packaged units, as the real-lib
// evaluation renders them (test/nix/drop-ins.ts), loaded by systemd itself:
// `systemd-analyze verify` of each unit with its overrides.conf next to it
// prints nothing, so every key the module writes is one systemd 252 knows and
// accepts (NixOS never checks serviceConfig's keys; systemd ignores an unknown
// one with a warning). The store paths the drop-ins run are stub executables
// inside the verify root, as verify-root.ts does for the units' own paths.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult, runCommand } from '../sandbox/command.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { EXEC_KEYS, execPrograms } from '../units/exec-lint.ts';
import { readUnitFile, settings } from '../units/unit-file.ts';
import { createVerifyRoot, type VerifyRoot } from '../units/verify-root.ts';
import { dropInUnit, etcSystemd, type EtcSystemd } from './drop-ins.ts';
import { NIX_MISSING_HINT } from './nix-instantiate.ts';
import { findNixpkgsLib } from './nixpkgs-lib.ts';

const missing = [...toolPrerequisites(['nix-instantiate']).map((p) => `${p}: ${NIX_MISSING_HINT}`), ...toolPrerequisites(['systemd-analyze'])];

function writeDropIn(root: VerifyRoot, unit: string, text: string): void {
  mkdirSync(join(root.unitDir, `${unit}.d`), { recursive: true });
  writeFileSync(join(root.unitDir, `${unit}.d`, 'overrides.conf'), text);
  for (const exec of settings(readUnitFile(text)).filter((s) => EXEC_KEYS.has(s.key))) {
    for (const program of execPrograms(exec.value)) {
      const path = join(root.root, program);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '#!/bin/sh\nexit 0\n');
      chmodSync(path, 0o755);
    }
  }
}

const verify = (root: VerifyRoot, unit: string) =>
  runCommand('systemd-analyze', ['verify', '--man=no', `--root=${root.root}`, join(root.unitDir, unit)], { timeoutMs: 20_000 });

describeWhen(missing, "systemd-analyze verify of the module's drop-ins", () => {
  let root: VerifyRoot;
  let files: EtcSystemd = {};
  const dropIns = (): [string, string][] =>
    Object.entries(files).flatMap(([file, text]) => {
      const unit = dropInUnit(file);
      return unit === null ? [] : [[unit, text] as [string, string]];
    });

  beforeAll(async () => {
    const lib = await findNixpkgsLib();
    if ('problem' in lib) throw new Error(lib.problem);
    files = await etcSystemd(lib.path);
    root = createVerifyRoot();
    for (const [unit, text] of dropIns()) writeDropIn(root, unit, text);
  });
  afterAll(() => root.remove());

  it('has a drop-in for the controller, vLLM and the slices', () => {
    expect(dropIns().map(([unit]) => unit)).toEqual(
      expect.arrayContaining(['mode-controller@.service', 'mode-boot.service', 'vllm.service', 'vllm-ready.service', 'ai.slice']),
    );
  });

  it('verifies every unit with its drop-in without a single warning', async () => {
    const noisy: string[] = [];
    for (const [unit] of dropIns()) {
      const result = await verify(root, unit);
      if (result.exitCode !== 0 || result.stderr !== '') noisy.push(describeResult(result));
    }
    expect(noisy).toEqual([]);
  });

  it('reads the drop-in (an unknown key in it is reported)', async () => {
    const vllm = files['vllm.service.d/overrides.conf'] ?? '';
    writeDropIn(root, 'vllm.service', `${vllm}Frobnicate=yes\n`);
    const result = await verify(root, 'vllm.service');
    writeDropIn(root, 'vllm.service', vllm);
    expect(result.stderr).toMatch(/overrides\.conf.*Unknown key( name)? 'Frobnicate'/);
  });
});
