// The one way the unit tests and the sandbox harness run a tool: an argv
// array (never a shell), a timeout, an optional AbortSignal, and the C locale
// without colours or pagers (the controller's own FORCED_TOOL_ENV), so that
// outputs are stable and parseable.
import { execa } from 'execa';
import { FORCED_TOOL_ENV } from '../../effects/exec/tool-env.ts';

export interface CommandResult {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  cwd?: string;
}

/** Runs `file args...` and returns what happened; an expected failure is a value, not a throw. */
export async function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const result = await execa(file, args, {
    reject: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2_000,
    env: { ...FORCED_TOOL_ENV, ...options.env },
    stdin: 'ignore',
    // exact bytes: tests compare outputs with what the real tools print
    stripFinalNewline: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return {
    argv: [file, ...args],
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut: result.timedOut,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

/** One line for a test failure message: what ran and what it said. */
export function describeResult(result: CommandResult): string {
  const status = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exit ${String(result.exitCode)}`;
  return `${result.argv.join(' ')} → ${status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
}
