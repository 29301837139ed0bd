// Node has no flock(2) binding, and a native addon costs a build step in Nix
// and CI. util-linux flock(1) can lock a descriptor we pass it as fd 3: flock(2)
// locks belong to the open file description, which the child shares with us,
// so when flock(1) exits 0 *this* process holds the lock until it closes the
// descriptor or dies — and the kernel releases it then, whatever the clock says.
// node:child_process rather than execa: execa's types reject a descriptor
// beyond stdio (fd 3), which is the whole trick here.
import { spawn } from 'node:child_process';
import type { RecordsFailure } from './failure.ts';

export type FlockOutcome = { status: 'locked' } | { status: 'busy' } | { status: 'failed'; failure: RecordsFailure };

export interface FlockOptions {
  /** flock(1) to run; by default looked up on PATH */
  flockPath?: string | undefined;
  /** how long to wait for a holder to finish; 0 (the default) does not wait */
  waitMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The exit status flock(1) uses for "held by someone else" (EX_TEMPFAIL). */
export const FLOCK_CONFLICT_EXIT = 75;
const CHILD_FD = 3;
// flock(1) answers in milliseconds; this only bounds a wedged exec.
const GRACE_MS = 10_000;

export async function flockDescriptor(fd: number, lockPath: string, options: FlockOptions = {}): Promise<FlockOutcome> {
  const tool = options.flockPath ?? 'flock';
  const waitMs = options.waitMs ?? 0;
  const waitArgs = waitMs > 0 ? ['--wait', (waitMs / 1000).toFixed(3)] : ['--nonblock'];
  const argv = ['--exclusive', ...waitArgs, '--conflict-exit-code', String(FLOCK_CONFLICT_EXIT), String(CHILD_FD)];
  const result = await runFlock(tool, argv, fd, waitMs + GRACE_MS, options.signal);
  if (result.exitCode === 0) return { status: 'locked' };
  if (result.exitCode === FLOCK_CONFLICT_EXIT) return { status: 'busy' };
  const base = { operation: 'flock', path: lockPath };
  if (result.spawnError === 'ENOENT') {
    return {
      status: 'failed',
      failure: {
        ...base,
        code: 'tool-missing',
        errno: 'ENOENT',
        message: `cannot lock ${lockPath}: ${tool} was not found; install util-linux, which provides flock(1), or put it on PATH`,
      },
    };
  }
  const why = result.timedOut
    ? `${tool} did not finish within ${waitMs + GRACE_MS} ms`
    : result.aborted
      ? 'the run was aborted while waiting for the lock'
      : `${tool} ${argv.join(' ')} ${result.spawnError ? `could not start (${result.spawnError})` : `exited with ${result.exitCode ?? result.signal}`}: ${result.stderr.trim()}`;
  return { status: 'failed', failure: { ...base, code: 'tool-failed', errno: null, message: `cannot lock ${lockPath}: ${why}` } };
}

interface FlockRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError: string | null;
  timedOut: boolean;
  aborted: boolean;
  stderr: string;
}

function runFlock(tool: string, argv: string[], fd: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<FlockRun> {
  return new Promise((resolve) => {
    const run: FlockRun = { exitCode: null, signal: null, spawnError: null, timedOut: false, aborted: false, stderr: '' };
    const child = spawn(tool, argv, {
      stdio: ['ignore', 'ignore', 'pipe', fd],
      env: { ...process.env, LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '', NO_COLOR: '1' },
    });
    // A child killed after it took the lock leaves the lock on our descriptor;
    // every caller closes the descriptor on a non-`locked` answer, which frees it.
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      run.timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = (): void => {
      run.aborted = true;
      kill();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (run.stderr.length < 4096) run.stderr += chunk;
    });
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(run);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      run.spawnError = error.code ?? error.message;
      finish();
    });
    child.on('close', (code, killedBy) => {
      run.exitCode = code;
      run.signal = killedBy;
      finish();
    });
  });
}
