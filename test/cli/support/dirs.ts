// A fresh runtime and state folder per test, the example config beside them
// (every verb, status included, refuses to go on without a readable config),
// and the environment that points the CLI at them.
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
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
  copyFileSync(new URL('../../../examples/workstation.config.json', import.meta.url), join(root, 'config.json'));
  return {
    root,
    runtimeDir,
    stateDir,
    env: { RUNTIME_DIRECTORY: runtimeDir, STATE_DIRECTORY: stateDir, DUBNIUM_CONFIG: join(root, 'config.json') },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
