// The runner for actuators (systemctl start/stop/isolate/set-property,
// loginctl terminate-session): execa with an argv array, `reject: false`, a
// timeout, a cancel signal and escalation to SIGKILL. A hard deadline on top
// of execa's own makes sure a process that survives SIGKILL cannot hang the
// run; execa is loaded only when an action runs.
import { performance } from 'node:perf_hooks';
import type { CommandRequest, RunCommand } from './command-result.ts';
import { TOOL_BINARIES } from './command-result.ts';
import { commandEvidence } from './evidence.ts';
import { KILL_GRACE_MS, MAX_OUTPUT_BYTES, SETTLE_AFTER_KILL_MS } from './kill-policy.ts';
import { toolEnv } from './tool-env.ts';
import { lookupTool } from './tool-lookup.ts';

export const runTool: RunCommand = async (request: CommandRequest) => {
  const env = request.env ?? process.env;
  const lookup = lookupTool(request.tool, request.tools, env);
  if (!lookup.found) {
    const argv = [request.tools?.[request.tool] ?? TOOL_BINARIES[request.tool], ...request.args];
    return {
      kind: 'missing-tool',
      tool: TOOL_BINARIES[request.tool],
      searched: lookup.searched,
      evidence: commandEvidence({ argv, exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 }),
    };
  }
  const argv = [lookup.path, ...request.args];
  const started = performance.now();
  const evidenceOf = (exitCode: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string) =>
    commandEvidence({ argv, exitCode, signal, timedOut, stdout, stderr, durationMs: performance.now() - started });
  if (request.signal?.aborted) return { kind: 'canceled', stdout: '', stderr: '', evidence: evidenceOf(null, null, false, '', '') };

  const { execa } = await import('execa');
  const subprocess = execa(lookup.path, [...request.args], {
    env: toolEnv(env),
    extendEnv: false,
    reject: false,
    shell: false,
    stdin: 'ignore',
    timeout: request.timeoutMs,
    cancelSignal: request.signal,
    forceKillAfterDelay: request.killGraceMs ?? KILL_GRACE_MS,
    maxBuffer: MAX_OUTPUT_BYTES,
    stripFinalNewline: false,
  });

  let deadline: NodeJS.Timeout | undefined;
  const hardDeadline = new Promise<'deadline'>((resolve) => {
    deadline = setTimeout(() => resolve('deadline'), request.timeoutMs + (request.killGraceMs ?? KILL_GRACE_MS) + SETTLE_AFTER_KILL_MS);
  });
  const outcome = await Promise.race([subprocess, hardDeadline]);
  clearTimeout(deadline);
  if (outcome === 'deadline') {
    subprocess.kill('SIGKILL');
    return { kind: 'timed-out', timeoutMs: request.timeoutMs, stdout: '', stderr: '', evidence: evidenceOf(null, 'SIGKILL', true, '', '') };
  }

  const stdout = typeof outcome.stdout === 'string' ? outcome.stdout : '';
  const stderr = typeof outcome.stderr === 'string' ? outcome.stderr : '';
  const exitCode = outcome.exitCode ?? null;
  const signal = outcome.signal ?? null;
  if (outcome.timedOut) {
    return { kind: 'timed-out', timeoutMs: request.timeoutMs, stdout, stderr, evidence: evidenceOf(exitCode, signal, true, stdout, stderr) };
  }
  if (outcome.isCanceled) return { kind: 'canceled', stdout, stderr, evidence: evidenceOf(exitCode, signal, false, stdout, stderr) };
  if (!outcome.failed) return { kind: 'ok', stdout, stderr, evidence: evidenceOf(exitCode, signal, false, stdout, stderr) };
  if (exitCode === null && signal === null) {
    // spawn itself failed: the executable vanished or is not executable
    const code = (outcome.cause as NodeJS.ErrnoException | undefined)?.code;
    const message = `${code ?? 'error'}: ${outcome.shortMessage}`;
    if (code === 'ENOENT') return { kind: 'missing-tool', tool: lookup.path, searched: [lookup.path], evidence: evidenceOf(null, null, false, '', message) };
    return { kind: 'failed', exitCode: null, signal: null, stdout, stderr: message, evidence: evidenceOf(null, null, false, stdout, message) };
  }
  return { kind: 'failed', exitCode, signal, stdout, stderr, evidence: evidenceOf(exitCode, signal, false, stdout, stderr) };
};
