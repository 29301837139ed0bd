// A fresh runtime and state folder per test, and the environment that points
// the CLI at them.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliDirs {
  root: string;
  runtimeDir: string;
  stateDir: string;
  env: Record<string, string>;
  cleanup(): void;
}

export function cliDirs(): CliDirs {
  const root = mkdtempSync(join(tmpdir(), 'dubnium-cli-'));
  const runtimeDir = join(root, 'run');
  const stateDir = join(root, 'state');
  mkdirSync(runtimeDir);
  mkdirSync(stateDir);
  return {
    root,
    runtimeDir,
    stateDir,
    env: { RUNTIME_DIRECTORY: runtimeDir, STATE_DIRECTORY: stateDir, DUBNIUM_CONFIG: join(root, 'config.json') },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
