// Runs one scontrol or squeue call, bounded by slurm.commandTimeoutSeconds,
// and says what its failure means for an operator: slurmctld or munge cannot
// be reached, Slurm has no such node (the fleet port's `unreachable`: the
// manager could not be asked), or Slurm was asked and refused (`failed`).
import type { CommandEvidence } from '../../../schemas/records.ts';
import type { SlurmConfig, ToolPaths } from '../../../schemas/config.ts';
import type { UnknownReasonCode } from '../../../schemas/facts.ts';
import { describeResult, type CommandResult, type RunCommand } from '../../exec/command-result.ts';

export type SlurmTool = 'scontrol' | 'squeue';

export type SlurmCall =
  | { ok: true; stdout: string; evidence: CommandEvidence }
  | { ok: false; kind: 'unreachable' | 'failed'; code: UnknownReasonCode; reason: string; evidence: CommandEvidence };

export interface SlurmRunner {
  node: string;
  call(tool: SlurmTool, args: readonly string[], signal?: AbortSignal): Promise<SlurmCall>;
}

export interface SlurmRunnerOptions {
  run: RunCommand;
  tools?: ToolPaths | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  killGraceMs?: number | undefined;
}

/** this machine's NodeName */
export const slurmNodeName = (config: { hostname: string; slurm: Pick<SlurmConfig, 'nodeName'> }): string => config.slurm.nodeName ?? config.hostname;

export function slurmRunner(config: { hostname: string; slurm: SlurmConfig }, options: SlurmRunnerOptions): SlurmRunner {
  const node = slurmNodeName(config);
  const timeoutMs = config.slurm.commandTimeoutSeconds * 1000;
  // times as 2026-12-03T16:58:27 whatever the site's SLURM_TIME_FORMAT; SLURM_CONF passes through
  const env = { ...(options.env ?? process.env), SLURM_TIME_FORMAT: 'standard' };
  return {
    node,
    async call(tool, args, signal) {
      const result = await options.run({ tool, args, timeoutMs, signal, tools: options.tools, env, killGraceMs: options.killGraceMs });
      return result.kind === 'ok' ? { ok: true, stdout: result.stdout, evidence: result.evidence } : explain(result, node);
    },
  };
}

const CONTROLLER_DOWN = /Unable to contact slurm controller|Connection refused|connect failure|Zero Bytes were transmitted or received/i;
const MUNGE = /Munge (?:encode|decode) failed|munge\.socket|Protocol authentication error|authentication error|Invalid authentication credential/i;
const NO_NODE = /Node \S+ not found|Invalid node name/i;
const REFUSED = /Invalid user id|Access\/permission denied|permission denied|not authorized/i;

export function explain(result: Exclude<CommandResult, { kind: 'ok' }>, node: string): SlurmCall {
  const evidence = result.evidence;
  const unreachable = (code: UnknownReasonCode, reason: string): SlurmCall => ({ ok: false, kind: 'unreachable', code, reason, evidence });
  switch (result.kind) {
    case 'missing-tool':
      return unreachable('tool-missing', `${describeResult(result)} (Debian: apt-get install slurm-client; NixOS: the slurm package)`);
    case 'timed-out':
      return unreachable('tool-timeout', `${describeResult(result)}: slurmctld did not answer for node ${node}; check that it runs and is reachable (scontrol ping), or raise config.slurm.commandTimeoutSeconds`);
    case 'canceled':
      return unreachable('not-observed', `${describeResult(result)}; Slurm was not asked about node ${node}`);
    case 'failed': {
      const output = `${result.stderr}\n${result.stdout}`;
      const said = describeResult(result);
      if (MUNGE.test(output)) return unreachable('tool-failed', `${said}: munge cannot authenticate this machine to slurmctld; check that munged runs (systemctl status munge) and that /etc/munge/munge.key is the cluster's key`);
      if (CONTROLLER_DOWN.test(output)) return unreachable('tool-failed', `${said}: slurmctld cannot be reached; check that it runs on the SlurmctldHost of slurm.conf (scontrol ping) and that this machine can reach its port`);
      if (NO_NODE.test(output)) return unreachable('tool-failed', `${said}: Slurm has no node named ${node}; set config.slurm.nodeName to this machine's NodeName in slurm.conf (scontrol show nodes lists them)`);
      if (REFUSED.test(output)) return { ok: false, kind: 'failed', code: 'tool-failed', reason: `${said}: Slurm refused; node updates need root or the SlurmUser`, evidence };
      return { ok: false, kind: 'failed', code: 'tool-failed', reason: `${said} (about node ${node})`, evidence };
    }
  }
}
