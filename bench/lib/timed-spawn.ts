// Runs one program and measures its wall time from spawn to exit, the way
// a shell prompt or a monitoring loop experiences it. node:child_process
// rather than execa: execa's own import and per-call work would sit inside
// the measured interval of the floor and the subject alike.
import { spawn } from 'node:child_process';

export interface TimedRun {
  argv: string[];
  ms: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface TimedSpawnOptions {
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  cwd?: string | undefined;
}

/** Tools run in the C locale without colours or pagers, as the project's runners do. */
export const QUIET_ENV = { LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '', NO_COLOR: '1' } as const;

export function timedSpawn(argv: readonly string[], options: TimedSpawnOptions): Promise<TimedRun> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('timedSpawn needs a program: the argv is empty'));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, {
      env: { ...options.env, ...QUIET_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${argv.join(' ')}: ${error.message}`)));
    child.on('close', (exitCode, signal) => resolve({ argv: [...argv], ms: performance.now() - started, exitCode, signal, stdout, stderr }));
  });
}

/** One line naming what ran and how it ended, for error messages. */
export function describeRun(run: TimedRun): string {
  const how = run.signal ? `killed by ${run.signal}` : `exit ${String(run.exitCode)}`;
  const said = (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n  ');
  return `${run.argv.join(' ')} → ${how}${said ? `:\n  ${said}` : ''}`;
}
