// The typed outcome of running one external tool. Every runner returns one of
// these and never throws for an expected failure, so an observer can turn any
// outcome into a fact or an `unknown` with its reason.
import type { CommandEvidence } from '../../schemas/records.ts';
import type { ToolPaths } from '../../schemas/config.ts';

export type CommandResult =
  | { kind: 'ok'; stdout: string; stderr: string; evidence: CommandEvidence }
  | { kind: 'missing-tool'; tool: string; searched: string[]; evidence: CommandEvidence }
  | { kind: 'failed'; exitCode: number | null; signal: string | null; stdout: string; stderr: string; evidence: CommandEvidence }
  | { kind: 'timed-out'; timeoutMs: number; stdout: string; stderr: string; evidence: CommandEvidence }
  | { kind: 'canceled'; stdout: string; stderr: string; evidence: CommandEvidence };

export interface CommandRequest {
  /** the tool's key in config.tools, e.g. `nvidiaSmi` */
  tool: ToolName;
  args: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** config.tools overrides */
  tools?: ToolPaths | undefined;
  /** the environment the tool is looked up in and runs with (before forcing); process.env by default */
  env?: NodeJS.ProcessEnv | undefined;
  /** time between SIGTERM and SIGKILL; KILL_GRACE_MS by default (tests shorten it) */
  killGraceMs?: number | undefined;
}

export type RunCommand = (request: CommandRequest) => Promise<CommandResult>;

export const TOOL_BINARIES = {
  systemctl: 'systemctl',
  loginctl: 'loginctl',
  nvidiaSmi: 'nvidia-smi',
  lspci: 'lspci',
  bootctl: 'bootctl',
  pactl: 'pactl',
  busctl: 'busctl',
  journalctl: 'journalctl',
  scontrol: 'scontrol',
  squeue: 'squeue',
} as const;
export type ToolName = keyof typeof TOOL_BINARIES;

/** One line for people: what happened to the command. */
export function describeResult(result: CommandResult): string {
  const cmd = result.evidence.argv.join(' ');
  switch (result.kind) {
    case 'ok':
      return `\`${cmd}\` succeeded`;
    case 'missing-tool': {
      const dirs = [...new Set(result.searched.map((path) => path.slice(0, path.lastIndexOf('/')) || '/'))];
      const key = (Object.keys(TOOL_BINARIES) as ToolName[]).find((k) => TOOL_BINARIES[k] === result.tool);
      const where = dirs.length === 0 ? 'PATH is empty' : `searched ${dirs.length === 1 ? dirs[0] : `${dirs.length} directories: ${dirs.slice(0, 4).join(', ')}${dirs.length > 4 ? ', …' : ''}`}`;
      return `${result.tool} was not found (${where}); install it, or set config.tools.${key ?? result.tool} to its path`;
    }
    case 'failed': {
      const how = result.exitCode !== null ? `exited with status ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
      const why = firstLine(result.stderr) ?? firstLine(result.stdout);
      return `\`${cmd}\` ${how}${why ? `: ${why}` : ''}`;
    }
    case 'timed-out':
      return `\`${cmd}\` did not finish within ${result.timeoutMs} ms and was killed`;
    case 'canceled':
      return `\`${cmd}\` was canceled before it finished`;
  }
}

function firstLine(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line === undefined ? null : line.trim();
}
