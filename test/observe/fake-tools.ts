// Fake tools for tests: tiny executable scripts in a temporary folder that is
// put first (or alone) on PATH, standing in for systemctl, loginctl,
// nvidia-smi, pactl, lspci and bootctl. They print a recorded real output,
// exit with a given status, or hang; each writes its PID to a file so a test
// can verify that no process is left behind.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeTools {
  dir: string;
  /** PATH holding only the fake tools */
  env: NodeJS.ProcessEnv;
  /** a tool that prints `stdoutFile` (a path) and `stderr`, then exits with `exitCode` */
  prints(tool: string, options: { stdoutFile?: string; stderr?: string; exitCode?: number }): void;
  /** a tool that never finishes; with `ignoreTerm` it survives SIGTERM */
  hangs(tool: string, options?: { ignoreTerm?: boolean }): void;
  /** a tool that prints its arguments and environment, one per line */
  echoes(tool: string): void;
  script(tool: string, body: string): void;
  pidOf(tool: string): number | null;
  cleanup(): void;
}

export function fakeTools(): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), 'dubnium-fake-tools-'));
  const write = (tool: string, body: string) => {
    const path = join(dir, tool);
    writeFileSync(path, `#!/bin/sh\necho $$ > '${join(dir, `${tool}.pid`)}'\n${body}\n`);
    chmodSync(path, 0o755);
  };
  return {
    dir,
    env: { PATH: dir },
    prints(tool, { stdoutFile, stderr, exitCode = 0 }) {
      const lines = [];
      if (stdoutFile) lines.push(`/bin/cat '${stdoutFile}'`);
      if (stderr) lines.push(`printf '%s\\n' '${stderr.replace(/'/g, "'\\''")}' >&2`);
      lines.push(`exit ${exitCode}`);
      write(tool, lines.join('\n'));
    },
    hangs(tool, { ignoreTerm = false } = {}) {
      // exec keeps one process (the PID written above), so killing it leaves nothing behind
      write(tool, `${ignoreTerm ? "trap '' TERM\n" : ''}exec /bin/sleep 1000`);
    },
    echoes(tool) {
      write(tool, 'for a in "$@"; do printf "arg=%s\\n" "$a"; done\n/usr/bin/env | /usr/bin/sort');
    },
    script(tool, body) {
      write(tool, body);
    },
    pidOf(tool) {
      try {
        return Number(readFileSync(join(dir, `${tool}.pid`), 'utf8').trim());
      } catch {
        return null;
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True while a process with this PID exists (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
