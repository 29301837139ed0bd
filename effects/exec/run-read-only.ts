// The runner for every tool: observation, and (through run-tool.ts) the
// actuators. node:child_process rather than execa: loading execa costs ~100 ms
// against ~6 ms for child_process (measured with `npx node`, see
// docs/observation.md) and 8 MB of a controller run's peak RSS, and `mode
// status` and `mode current` start a fresh process every time. The contract:
// argv array, no shell, forced environment, timeout, abort signal, escalation
// to SIGKILL, a hard deadline after it, a typed result.
// Durations by monotonicMs() (effects/monotonic.ts, process.hrtime), not
// performance.now(): Node's performance, global or imported, loads all of
// perf_hooks (its observers, histograms and event-loop monitors, issue 17).
import { spawn } from 'node:child_process';
import { monotonicMs } from '../monotonic.ts';
import type { CommandRequest, CommandResult, RunCommand } from './command-result.ts';
import { TOOL_BINARIES } from './command-result.ts';
import { commandEvidence } from './evidence.ts';
import { KILL_GRACE_MS, MAX_OUTPUT_BYTES, SETTLE_AFTER_KILL_MS } from './kill-policy.ts';
import { toolEnv } from './tool-env.ts';
import { lookupTool } from './tool-lookup.ts';

export const runReadOnly: RunCommand = (request: CommandRequest) => {
  const env = request.env ?? process.env;
  const lookup = lookupTool(request.tool, request.tools, env);
  if (!lookup.found) {
    const argv = [request.tools?.[request.tool] ?? TOOL_BINARIES[request.tool], ...request.args];
    return Promise.resolve({
      kind: 'missing-tool',
      tool: TOOL_BINARIES[request.tool],
      searched: lookup.searched,
      evidence: commandEvidence({ argv, exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 }),
    });
  }
  return spawnAndWait(lookup.path, request, toolEnv(env));
};

function spawnAndWait(path: string, request: CommandRequest, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const argv = [path, ...request.args];
  const started = monotonicMs();
  const evidenceOf = (exitCode: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string) =>
    commandEvidence({ argv, exitCode, signal, timedOut, stdout, stderr, durationMs: monotonicMs() - started });

  if (request.signal?.aborted) {
    return Promise.resolve({ kind: 'canceled', stdout: '', stderr: '', evidence: evidenceOf(null, null, false, '', '') });
  }

  return new Promise((resolve) => {
    const child = spawn(path, [...request.args], { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let ending: 'timed-out' | 'canceled' | 'overflow' | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const endAs = (reason: 'timed-out' | 'canceled' | 'overflow') => {
      if (ending !== null || settled) return;
      ending = reason;
      child.kill('SIGTERM');
      timers.push(
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          timers.push(setTimeout(() => finish(endResult(null, 'SIGKILL')), SETTLE_AFTER_KILL_MS));
        }, request.killGraceMs ?? KILL_GRACE_MS),
      );
    };
    const endResult = (code: number | null, signal: string | null): CommandResult => {
      const stdout = text(out);
      const stderr = text(err);
      if (ending === 'timed-out') {
        return { kind: 'timed-out', timeoutMs: request.timeoutMs, stdout, stderr, evidence: evidenceOf(code, signal, true, stdout, stderr) };
      }
      if (ending === 'canceled') return { kind: 'canceled', stdout, stderr, evidence: evidenceOf(code, signal, false, stdout, stderr) };
      const note = `output exceeded ${MAX_OUTPUT_BYTES} bytes; the tool was stopped`;
      return { kind: 'failed', exitCode: code, signal, stdout, stderr: `${note}\n${stderr}`, evidence: evidenceOf(code, signal, false, stdout, `${note}\n${stderr}`) };
    };
    const onAbort = () => endAs('canceled');
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        endAs('overflow');
        return;
      }
      into.push(chunk);
    };

    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => endAs('timed-out'), request.timeoutMs));

    child.on('error', (error: NodeJS.ErrnoException) => {
      // spawn itself failed (the file vanished between lookup and spawn, or is not executable)
      const stderr = `${error.code ?? 'error'}: ${error.message}`;
      if (error.code === 'ENOENT') {
        finish({ kind: 'missing-tool', tool: path, searched: [path], evidence: evidenceOf(null, null, false, '', stderr) });
      } else {
        finish({ kind: 'failed', exitCode: null, signal: null, stdout: '', stderr, evidence: evidenceOf(null, null, false, '', stderr) });
      }
    });
    child.on('close', (code, signal) => {
      if (ending !== null) {
        finish(endResult(code, signal));
        return;
      }
      const stdout = text(out);
      const stderr = text(err);
      const evidence = evidenceOf(code, signal, false, stdout, stderr);
      finish(code === 0 ? { kind: 'ok', stdout, stderr, evidence } : { kind: 'failed', exitCode: code, signal, stdout, stderr, evidence });
    });
  });
}
