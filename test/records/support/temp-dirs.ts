// Fresh runtime and state folders per test, removed afterwards.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDirs {
  root: string;
  runtimeDir: string;
  stateDir: string;
  cleanup(): void;
}

export function makeDirs(prefix = 'dubnium-records-'): TestDirs {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const runtimeDir = join(root, 'run');
  const stateDir = join(root, 'state');
  mkdirSync(runtimeDir);
  mkdirSync(stateDir);
  return { root, runtimeDir, stateDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
