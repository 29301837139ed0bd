// Runs a fixture script in its own Node process (the project's Node 22, the
// one running the tests), as a separate process is what locks and crashes
// are about.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `argv` to completion; `prefix` wraps it (bwrap, unshare) when a test needs a private mount. */
export function runToEnd(argv: string[], options: { prefix?: string[]; timeoutMs?: number } = {}): Promise<Finished> {
  const full = [...(options.prefix ?? []), ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const nodeScript = (name: string, ...args: string[]): string[] => [process.execPath, fixture(name), ...args];

/** Starts a fixture and resolves once it printed a line matching `ready` on stdout. */
export function startUntil(argv: string[], ready: RegExp): Promise<{ child: ChildProcess; line: string; exited: Promise<Finished> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<Finished>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => ready.test(candidate));
      if (line !== undefined && !settled) {
        settled = true;
        resolve({ child, line, exited });
      }
    });
    child.on('error', reject);
    void exited.then((finished) => {
      if (!settled) reject(new Error(`fixture exited before it was ready (code ${finished.code}, signal ${finished.signal}):\n${finished.stderr}`));
    });
  });
}
