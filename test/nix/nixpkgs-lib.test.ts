// findNixpkgsLib: $NIXPKGS_LIB wins and must hold lib/; without it, the copy
// beside the clone (../shared/nixpkgs-lib) is used when present.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { findNixpkgsLib, SHARED_NIXPKGS_LIB } from './nixpkgs-lib.ts';

const empty = mkdtempSync(join(tmpdir(), 'no-nixpkgs-lib-'));
afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
});

it('refuses a NIXPKGS_LIB without lib/default.nix, naming it', async () => {
  expect(await findNixpkgsLib({ NIXPKGS_LIB: empty })).toEqual({
    problem: `NIXPKGS_LIB=${empty} holds no lib/default.nix; point it at a nixpkgs checkout or a nixpkgs.lib mirror`,
  });
});

it('takes NIXPKGS_LIB when it holds lib/', async () => {
  expect(await findNixpkgsLib({ NIXPKGS_LIB: SHARED_NIXPKGS_LIB })).toEqual({ path: SHARED_NIXPKGS_LIB, from: 'NIXPKGS_LIB' });
});

it('falls back to ../shared/nixpkgs-lib beside the clone', async () => {
  expect(await findNixpkgsLib({})).toEqual({ path: SHARED_NIXPKGS_LIB, from: '../shared/nixpkgs-lib' });
});
