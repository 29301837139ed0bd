// A temporary folder standing in for /proc: meminfo, processes' comm files and
// an asound tree, filled from real captures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakeProc {
  root: string;
  file(path: string, text: string): void;
  process(pid: number, comm: string): void;
  cleanup(): void;
}

export function fakeProc(): FakeProc {
  const root = mkdtempSync(join(tmpdir(), 'dubnium-fake-proc-'));
  const file = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  return {
    root,
    file,
    process: (pid, comm) => file(`${pid}/comm`, `${comm}\n`),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
