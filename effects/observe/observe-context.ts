// What every collector needs: the config, the clock for readAt stamps, the
// runner for external tools, a cancel signal, a per-collector timeout and
// the filesystem roots (/proc, /sys), which tests and the sandbox point at
// temporary folders.
import type { Config } from '../../schemas/config.ts';
import type { CommandResult, RunCommand, ToolName } from '../exec/command-result.ts';

export interface FsRoots {
  proc: string;
  sys: string;
  /** the cgroup v2 mount where user managers are found (user.slice/user-UID.slice/user@UID.service); default <sys>/fs/cgroup */
  cgroup?: string | undefined;
  /** the folder under which /run/dubnium-audio is read; default /run (code outside the sandbox: /proc/<pid>/root/run) */
  run?: string | undefined;
  /**
   * the /proc whose numbered entries are the live processes (their fd, cgroup, comm), for the GPU holders;
   * default /proc, whatever `proc` is (the sandbox replaces only the kernel's files there); code outside the
   * sandbox: /proc/<its PID 1>/root/proc; a test: a fake tree
   */
  pids?: string | undefined;
}

export const HOST_ROOTS: FsRoots = { proc: '/proc', sys: '/sys' };

export interface ObserveContext {
  config: Config;
  run: RunCommand;
  now: () => Date;
  roots: FsRoots;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** environment for tool lookup and tools (process.env by default) */
  env?: NodeJS.ProcessEnv | undefined;
  /** SIGTERM→SIGKILL grace for tools; tests shorten it */
  killGraceMs?: number | undefined;
}

/** Maps a configured host path under /proc or /sys onto the context's roots. */
export function rooted(path: string, roots: FsRoots): string {
  for (const [prefix, root] of [
    ['/proc', roots.proc],
    ['/sys', roots.sys],
  ] as const) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return root + path.slice(prefix.length);
  }
  return path;
}

/** Runs one tool through the context's runner (ctx.run), with the context's timeout, signal, tool paths, environment and kill grace. */
export function runInContext(ctx: ObserveContext, tool: ToolName, args: readonly string[]): Promise<CommandResult> {
  return ctx.run({ tool, args, timeoutMs: ctx.timeoutMs, signal: ctx.signal, tools: ctx.config.tools, env: ctx.env, killGraceMs: ctx.killGraceMs });
}
