// Runs Debian's nix-instantiate (Nix 2.8) on this repository's Nix files.
// `--store dummy://` needs no store, daemon or writable /nix: evaluation and
// parsing here never build or copy anything, so this works as root and as
// any other user, in CI and on a developer machine.
import { fileURLToPath } from 'node:url';
import { describeResult, runCommand, type CommandResult } from '../sandbox/command.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NIX_MISSING_HINT = 'apt-get install nix-bin (.ci/run installs it)';

const NIX_TIMEOUT_MS = 60_000;

export function nixInstantiate(args: readonly string[]): Promise<CommandResult> {
  return runCommand('nix-instantiate', ['--store', 'dummy://', ...args], {
    timeoutMs: NIX_TIMEOUT_MS,
    cwd: REPO_ROOT,
  });
}

/** `nix-instantiate --eval --strict --json FILE [extra]`, parsed; throws with the tool's output when it fails. */
export async function evalJson(file: string, extra: readonly string[] = []): Promise<unknown> {
  const result = await nixInstantiate(['--eval', '--strict', '--json', file, ...extra]);
  if (result.exitCode !== 0) throw new Error(`Nix evaluation failed: ${describeResult(result)}`);
  return JSON.parse(result.stdout) as unknown;
}
