// The slurm fact: this machine as a Slurm node (scontrol show node and the
// jobs squeue lists on it). observeFacts asks only when config.slurm.enable
// and leaves the fact out otherwise: a machine that is no Slurm node has
// nothing to guard. Slurm that
// cannot be asked (slurmctld or munge down, no such node, a timeout) is an
// unknown with a reason naming the node, the command and what to check.
import type { Fact, FactSource, SlurmNode } from '../../schemas/facts.ts';
import { readSlurmNode } from '../fleet/slurm/node-state.ts';
import { slurmRunner } from '../fleet/slurm/slurm-command.ts';
import { known, unknown } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';

export async function collectSlurm(ctx: ObserveContext): Promise<Fact<SlurmNode>> {
  const runner = slurmRunner(ctx.config, { run: ctx.run, tools: ctx.config.tools, env: ctx.env, killGraceMs: ctx.killGraceMs });
  const read = await readSlurmNode(runner, ctx.signal);
  const at = ctx.now().toISOString();
  // a success is told by scontrol's call, the node's own; a failure by the call that failed (every read ran one)
  const told = read.ok ? read.evidence[0]! : read.evidence.at(-1)!;
  const source: FactSource = { kind: 'command', argv: told.argv, exitCode: told.exitCode };
  if (read.ok) return known(read.value, source, at);
  return unknown(read.code, read.reason, source, at, read.excerpt ?? [...told.stderr, ...told.stdout].slice(0, 8));
}
