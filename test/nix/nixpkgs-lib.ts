// Where nixpkgs' lib/ is, for the tests that evaluate nix/module.nix and
// hosts/workstation with the real lib.evalModules. In order: $NIXPKGS_LIB
// (a folder holding lib/), a nixpkgs on NIX_PATH, then the copy CI places
// beside the clone: <repo>/../shared/nixpkgs-lib (the nix-community/nixpkgs.lib
// mirror, see its SOURCE file).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCommand } from '../sandbox/command.ts';
import { REPO_ROOT } from './nix-instantiate.ts';

export type NixpkgsLib = { path: string; from: string } | { problem: string };

const FIND_TIMEOUT_MS = 10_000;
export const SHARED_NIXPKGS_LIB = resolve(REPO_ROOT, '../shared/nixpkgs-lib');

const holdsLib = (path: string): boolean => existsSync(join(path, 'lib', 'default.nix'));

/** The nixpkgs lib to evaluate with, or the problem that there is none, with what to do. */
export async function findNixpkgsLib(env: NodeJS.ProcessEnv = process.env): Promise<NixpkgsLib> {
  const chosen = env.NIXPKGS_LIB;
  if (chosen !== undefined && chosen !== '') {
    return holdsLib(chosen)
      ? { path: resolve(chosen), from: 'NIXPKGS_LIB' }
      : { problem: `NIXPKGS_LIB=${chosen} holds no lib/default.nix; point it at a nixpkgs checkout or a nixpkgs.lib mirror` };
  }
  if (env.NIX_PATH !== undefined && env.NIX_PATH !== '') {
    const found = await runCommand('nix-instantiate', ['--find-file', 'nixpkgs'], {
      timeoutMs: FIND_TIMEOUT_MS,
      env: { NIX_PATH: env.NIX_PATH },
    });
    const path = found.stdout.trim();
    if (found.exitCode === 0 && holdsLib(path)) return { path, from: 'NIX_PATH' };
  }
  if (holdsLib(SHARED_NIXPKGS_LIB)) return { path: SHARED_NIXPKGS_LIB, from: '../shared/nixpkgs-lib' };
  return {
    problem: `no nixpkgs lib: ${SHARED_NIXPKGS_LIB}/lib/default.nix does not exist; clone https://github.com/nix-community/nixpkgs.lib there, or set NIXPKGS_LIB to a folder holding lib/`,
  };
}
