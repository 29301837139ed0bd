// Runs one MutatingAction (systemctl start/stop/isolate/set-property --runtime,
// loginctl terminate-session) with its timeout and cancel signal, and returns
// a typed ActionResult with the command kept as evidence. It never rejects.
import type { ActionResult, MutatingAction } from '../../machines/host.ts';
import type { Config } from '../../schemas/config.ts';
import { describeResult, type CommandResult, type RunCommand } from '../exec/command-result.ts';
import { runTool } from '../exec/run-tool.ts';
import { actionCommand, describeAction } from './action-argv.ts';
import { actionProblem } from './validate-action.ts';
import { cancelQueuedJobs } from './cancel-job.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../../shared/describe-error.ts';

export interface ActuateContext {
  config: Config;
  signal?: AbortSignal | undefined;
  /** the runner; execa-based by default */
  run?: RunCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  killGraceMs?: number | undefined;
}

// PID 1 re-executed or reloaded under us (catalogue row 12, real text in test/catalogue/fixtures/real/):
// every action here is idempotent, so it is tried once more after a short pause, then observed as usual
const CONNECTION_LOST = /Connection reset by peer|D-Bus connection terminated|Transport endpoint is not connected|Broken pipe/;
export const RETRY_BACKOFF_MS = 1000;

export async function performAction(action: MutatingAction, ctx: ActuateContext): Promise<ActionResult> {
  const problem = actionProblem(action);
  if (problem !== null) return { ok: false, message: problem, commands: [] };
  const command = actionCommand(action);
  const run = ctx.run ?? runTool;
  const once = () =>
    run({
      tool: command.tool,
      args: command.args,
      timeoutMs: ctx.config.thresholds.stepTimeoutsMs[command.timeoutKey],
      signal: ctx.signal,
      tools: ctx.config.tools,
      env: ctx.env,
      killGraceMs: ctx.killGraceMs,
    });
  try {
    const first = await once();
    if (first.kind === 'failed' && CONNECTION_LOST.test(first.stderr) && !ctx.signal?.aborted) {
      await sleep(RETRY_BACKOFF_MS, undefined, ctx.signal ? { signal: ctx.signal } : {}).catch(() => undefined);
      if (!ctx.signal?.aborted) {
        const second = toActionResult(action, await once());
        return { ...second, message: `${second.message} (retried once: the first call lost its connection to systemd)`, commands: [first.evidence, ...second.commands] };
      }
    }
    const result = toActionResult(action, first);
    if (first.kind === 'timed-out' && (action.kind === 'start' || action.kind === 'stop' || action.kind === 'isolate')) {
      const cancel = await cancelQueuedJobs(action.unit, { config: ctx.config, run, env: ctx.env });
      const said = cancel.problem ?? (cancel.cancelled.length > 0 ? `its queued job ${cancel.cancelled.join(', ')} was cancelled` : 'no job of it was left queued');
      return { ...result, message: `${result.message}; ${said}`, commands: [...result.commands, ...cancel.commands] };
    }
    return result;
  } catch (error) {
    return { ok: false, message: `${describeAction(action)} failed inside the controller: ${describeError(error)}`, commands: [] };
  }
}

function toActionResult(action: MutatingAction, result: CommandResult): ActionResult {
  const commands = [result.evidence];
  const what = describeAction(action);
  if (result.kind === 'ok') return { ok: true, message: `${what}: done`, commands };
  if (result.kind === 'failed') {
    // already in the wanted state: stopping a unit that is not loaded, ending a session that is gone
    if (action.kind === 'stop' && result.exitCode === 5 && /not loaded/.test(result.stderr)) {
      return { ok: true, message: `${what}: already stopped (systemd has no such unit loaded)`, commands };
    }
    if (action.kind === 'terminate-session' && /No session '[^']*' known/.test(result.stderr)) {
      return { ok: true, message: `${what}: the session is already gone`, commands };
    }
    const hint = failureHint(action, result);
    return { ok: false, message: `${what} failed: ${describeResult(result)}${hint ? `; ${hint}` : ''}`, commands };
  }
  return { ok: false, message: `${what} failed: ${describeResult(result)}`, commands };
}

function failureHint(action: MutatingAction, result: Extract<CommandResult, { kind: 'failed' }>): string | null {
  if (/unit may not be isolated/.test(result.stderr)) return `${'unit' in action ? action.unit : 'the unit'} needs AllowIsolate=yes to be isolated`;
  if (result.exitCode === 5) return 'systemd does not know this unit: check the unit name in the config and that the unit is installed';
  if (/Job for .* failed/.test(result.stderr) && 'unit' in action) return `see \`systemctl status ${action.unit}\` and \`journalctl -u ${action.unit}\``;
  return null;
}
