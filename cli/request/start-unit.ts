// Starting mode-controller@<mode>.service without waiting for it, and turning
// systemctl's refusals into messages that say what to do. The polkit rule
// lets group modectl start exactly these units and nothing else.
import { runTool } from '../../effects/exec/run-tool.ts';
import { describeResult, type CommandResult } from '../../effects/exec/command-result.ts';
import type { Config } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';

export const POLKIT_RULE = '/etc/polkit-1/rules.d/50-mode-controller.rules';

export const controllerUnit = (mode: ModeName): string => `mode-controller@${mode}.service`;

/** systemctl's words when polkit (or PID 1) refuses a start */
export const DENIED = /access denied|interactive authentication required|not authorized|permission denied/i;
const START_LIMIT = /start-limit|attempted too often/i;
const NOT_FOUND = /not found|no such file/i;
// the system bus (and with it polkit) is down: a member of modectl cannot be authorized; root talks to PID 1 directly
const NO_BUS = /Failed to connect to (the )?bus|Failed to connect to system scope bus|Transport endpoint is not connected|org\.freedesktop\.DBus\.Error\.(NoServer|Disconnected|ServiceUnknown)|org\.freedesktop\.PolicyKit1/i;

export async function startControllerUnit(mode: ModeName, config: Config, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const unit = controllerUnit(mode);
  const result = await runTool({
    tool: 'systemctl',
    args: ['start', '--no-block', '--', unit],
    timeoutMs: config.thresholds.stepTimeoutsMs.start,
    tools: config.tools,
    env,
  });
  if (result.kind === 'ok') return result;
  throw refusal(unit, result);
}

function refusal(unit: string, result: Exclude<CommandResult, { kind: 'ok' }>): CliError {
  if (result.kind === 'missing-tool') return new CliError(EXIT.toolMissing, describeResult(result));
  const output = 'stderr' in result ? `${result.stderr}\n${result.stdout}` : '';
  const said = output.trim().split('\n')[0] ?? '';
  if (NO_BUS.test(output)) {
    return new CliError(EXIT.denied, `cannot ask systemd to start ${unit}: the system bus (D-Bus) or polkit is not answering (${said})`, [
      'a request from the group modectl goes through the system bus and polkit; check `systemctl status dbus.service polkit.service`',
      `root can still switch: sudo systemctl start ${unit} (root reaches systemd over /run/systemd/private, without the bus)`,
    ]);
  }
  if (DENIED.test(output)) {
    return new CliError(EXIT.denied, `not allowed to start ${unit}: ${said}`, [
      'requesting a mode needs root or membership of the group modectl:',
      '  sudo usermod -aG modectl $USER   (on NixOS: users.users.<you>.extraGroups = [ "modectl" ];), then log in again',
      `the polkit rule ${POLKIT_RULE} (NixOS: security.polkit.extraConfig) grants that group "start" of mode-controller@<mode>.service`,
    ]);
  }
  if (START_LIMIT.test(output)) {
    return new CliError(EXIT.busy, `${unit} was started too often in the last minute (start-limit-hit)`, [
      'wait a minute and request again; mode status shows what the last run did',
    ]);
  }
  if (NOT_FOUND.test(output)) {
    return new CliError(EXIT.config, `${unit} is not installed: ${said}`, ['install the mode-tools package (on NixOS: enable the dubnium module)']);
  }
  return new CliError(EXIT.rejected, `systemctl could not start ${unit}: ${describeResult(result)}`);
}
