// This machine as Slurm sees it: the node's state, reason and features from
// `scontrol show node`, and the jobs on it from `squeue`. Both the
// observation's slurm fact (collect-slurm.ts) and the adapter read it here.
import type { CommandEvidence } from '../../../schemas/records.ts';
import type { SlurmJob, SlurmNode, UnknownReasonCode } from '../../../schemas/facts.ts';
import { parseScontrolShowNode } from '../../observe/parsers/scontrol-show-node.ts';
import { parseSqueueJobs, SQUEUE_FORMAT } from '../../observe/parsers/squeue-jobs.ts';
import type { SlurmRunner } from './slurm-command.ts';

/** the states in which a job holds the node's resources: leaving compute waits for all of them */
export const HOLDING_STATES = ['CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'RESIZING', 'SIGNALING', 'STAGE_OUT'] as const;

export type SlurmRead<T> =
  | { ok: true; value: T; evidence: CommandEvidence[] }
  | { ok: false; kind: 'unreachable' | 'failed'; code: UnknownReasonCode; reason: string; excerpt?: string[]; evidence: CommandEvidence[] };

export const showNodeArgs = (node: string): string[] => ['show', 'node', '--oneliner', node];
export const squeueArgs = (node: string): string[] => ['--noheader', `--nodelist=${node}`, `--states=${HOLDING_STATES.join(',')}`, `--format=${SQUEUE_FORMAT}`];

export async function readNodeState(runner: SlurmRunner, signal?: AbortSignal): Promise<SlurmRead<Omit<SlurmNode, 'jobs'>>> {
  const shown = await runner.call('scontrol', showNodeArgs(runner.node), signal);
  if (!shown.ok) return { ok: false, kind: shown.kind, code: shown.code, reason: shown.reason, evidence: [shown.evidence] };
  const parsed = parseScontrolShowNode(shown.stdout, runner.node);
  if (!parsed.ok) return { ok: false, kind: 'unreachable', code: 'unparseable', reason: `could not read \`scontrol show node --oneliner ${runner.node}\`: ${parsed.message}`, excerpt: parsed.excerpt, evidence: [shown.evidence] };
  return { ok: true, value: parsed.value, evidence: [shown.evidence] };
}

export async function readJobs(runner: SlurmRunner, signal?: AbortSignal): Promise<SlurmRead<SlurmJob[]>> {
  const listed = await runner.call('squeue', squeueArgs(runner.node), signal);
  if (!listed.ok) return { ok: false, kind: listed.kind, code: listed.code, reason: listed.reason, evidence: [listed.evidence] };
  const parsed = parseSqueueJobs(listed.stdout);
  if (!parsed.ok) return { ok: false, kind: 'unreachable', code: 'unparseable', reason: `could not read the jobs squeue lists on ${runner.node}: ${parsed.message}`, excerpt: parsed.excerpt, evidence: [listed.evidence] };
  return { ok: true, value: parsed.value, evidence: [listed.evidence] };
}

/** The slurm fact's value: the node, then its jobs; the first that cannot be read answers. */
export async function readSlurmNode(runner: SlurmRunner, signal?: AbortSignal): Promise<SlurmRead<SlurmNode>> {
  const node = await readNodeState(runner, signal);
  if (!node.ok) return node;
  const jobs = await readJobs(runner, signal);
  if (!jobs.ok) return { ...jobs, evidence: [...node.evidence, ...jobs.evidence] };
  return { ok: true, value: { ...node.value, jobs: jobs.value }, evidence: [...node.evidence, ...jobs.evidence] };
}
