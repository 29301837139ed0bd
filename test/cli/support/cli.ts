// Runs the real `mode` command in a child process, the way an operator does,
// with its own environment (no inherited RUNTIME_DIRECTORY or NO_COLOR).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MODE_TS = fileURLToPath(new URL('../../../cli/mode.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** the entry to run: the TypeScript source by default, or a built bundle */
  entry?: string;
  timeoutMs?: number;
}

// vitest runs on the project's Node 22 (npx puts node_modules/.bin first), which runs .ts directly.
if (!process.version.startsWith('v22.')) throw new Error(`tests need the project's Node 22, got ${process.version}; run them through npx`);

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry ?? MODE_TS, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
