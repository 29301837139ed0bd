// The Slurm adapter of the fleet port: this workstation as a Slurm node.
// Outside compute the node is drained with reason `dubnium: <mode>`, so no
// job lands on a machine whose GPUs a person is using; once compute is
// proven, it is resumed and gets slurm.computeFeature. A drain someone else
// set (an admin's reason) is left as it is: it is neither overwritten nor
// resumed. Every call is one scontrol or squeue run, bounded by
// slurm.commandTimeoutSeconds; nothing here cancels or signals a job.
import type { Config } from '../../../schemas/config.ts';
import type { CommandEvidence } from '../../../schemas/records.ts';
import type { SlurmNode } from '../../../schemas/facts.ts';
import type { RunCommand } from '../../exec/command-result.ts';
import { runReadOnly } from '../../exec/run-read-only.ts';
import type { FleetResult, FleetSnapshot, RunningWork, WorkloadAdapter } from '../port.ts';
import { featureUpdate } from './features.ts';
import { readJobs, readNodeState, readSlurmNode, type SlurmRead } from './node-state.ts';
import { slurmRunner, type SlurmRunner } from './slurm-command.ts';

export const DRAIN_PREFIX = 'dubnium: ';
/** the reason a node drained by dubnium shows, e.g. `dubnium: desktop` */
export const drainReason = (mode: string): string => `${DRAIN_PREFIX}${mode}`;
/** a drain dubnium set (and may change or resume), as opposed to one an admin set */
export const isOwnDrain = (reason: string | null): boolean => reason !== null && reason.startsWith(DRAIN_PREFIX);

export interface SlurmAdapter extends WorkloadAdapter {
  readonly name: 'slurm';
  /** this machine's NodeName */
  readonly node: string;
  /** the slurm fact's value: the node and its jobs */
  showNode(signal?: AbortSignal): Promise<FleetResult<SlurmNode>>;
}

export interface SlurmAdapterOptions {
  /** the runner for scontrol and squeue; child_process by default */
  run?: RunCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  killGraceMs?: number | undefined;
}

export function slurmAdapter(config: Pick<Config, 'hostname' | 'slurm' | 'tools'>, options: SlurmAdapterOptions = {}): SlurmAdapter {
  const runner = slurmRunner(config, { run: options.run ?? runReadOnly, tools: config.tools, env: options.env, killGraceMs: options.killGraceMs });
  const feature = config.slurm.computeFeature;

  /** Adds or removes slurm.computeFeature in both feature lists, when one is configured and the node does not have it so already. */
  const changeFeature = async (node: Pick<SlurmNode, 'features'>, change: 'add' | 'remove', trail: CommandEvidence[], signal?: AbortSignal) => {
    const settings = feature === null ? null : featureUpdate(node.features, feature, change);
    return settings ? update(runner, settings, trail, signal) : null;
  };

  const drain = async (reason: string, signal?: AbortSignal): Promise<FleetResult<null>> => {
    const trail: CommandEvidence[] = [];
    const node = take(await readNodeState(runner, signal), trail);
    if (!node.ok) return node.result;
    const keep = node.value.drained && (node.value.reason === reason || !isOwnDrain(node.value.reason));
    if (!keep) {
      const updated = await update(runner, [`State=DRAIN`, `Reason=${reason}`], trail, signal);
      if (updated) return updated;
    }
    return (await changeFeature(node.value, 'remove', trail, signal)) ?? { kind: 'ok', value: null, evidence: trail };
  };

  return {
    name: 'slurm',
    // it publishes the observed mode as a feature: the audit log is not its to read
    readsAudit: false,
    node: runner.node,
    drain,
    async resume(signal) {
      const trail: CommandEvidence[] = [];
      const node = take(await readNodeState(runner, signal), trail);
      if (!node.ok) return node.result;
      if (node.value.drained) {
        if (!isOwnDrain(node.value.reason)) {
          return { kind: 'failed', reason: `node ${runner.node} was drained by someone else (Reason=${node.value.reason ?? 'none'}); dubnium resumes only its own drain: \`scontrol update NodeName=${runner.node} State=RESUME\` once that reason is dealt with`, evidence: trail };
        }
        const updated = await update(runner, ['State=RESUME'], trail, signal);
        if (updated) return updated;
      }
      return (await changeFeature(node.value, 'add', trail, signal)) ?? { kind: 'ok', value: null, evidence: trail };
    },
    async listRunningWork(signal): Promise<FleetResult<RunningWork[]>> {
      return fleetResult(await readJobs(runner, signal));
    },
    async showNode(signal) {
      return fleetResult(await readSlurmNode(runner, signal));
    },
    async publish(snapshot, signal) {
      const mode = observedMode(snapshot);
      if (mode !== 'compute') return drain(drainReason(mode), signal);
      const trail: CommandEvidence[] = [];
      const node = take(await readNodeState(runner, signal), trail);
      if (!node.ok) return node.result;
      if (node.value.drained && isOwnDrain(node.value.reason)) {
        return { kind: 'failed', reason: `compute is proven but node ${runner.node} is still drained (Reason=${node.value.reason}): a switch away from compute is pending or was blocked (mode status), or its resume failed`, evidence: trail };
      }
      return { kind: 'ok', value: null, evidence: trail };
    },
  };
}

/** The mode the newest record proves, as the metrics adapter reads it: the last observation, else the last run's final one. */
export function observedMode(snapshot: Pick<FleetSnapshot, 'observation' | 'lastTransition'>): string {
  return snapshot.observation?.classification.mode ?? snapshot.lastTransition?.finalObservation?.mode ?? 'unknown';
}

function fleetResult<T>(read: SlurmRead<T>): FleetResult<T> {
  return read.ok ? { kind: 'ok', value: read.value, evidence: read.evidence } : { kind: read.kind, reason: read.reason, evidence: read.evidence };
}

type Taken<T> = { ok: true; value: T } | { ok: false; result: FleetResult<never> };

function take<T>(read: SlurmRead<T>, trail: CommandEvidence[]): Taken<T> {
  trail.push(...read.evidence);
  if (read.ok) return { ok: true, value: read.value };
  return { ok: false, result: { kind: read.kind, reason: read.reason, evidence: [...trail] } };
}

/** `scontrol update NodeName=<node> ...`; a FleetResult only when it did not succeed */
async function update(runner: SlurmRunner, settings: readonly string[], trail: CommandEvidence[], signal?: AbortSignal): Promise<FleetResult<never> | null> {
  const done = await runner.call('scontrol', ['update', `NodeName=${runner.node}`, ...settings], signal);
  trail.push(done.evidence);
  return done.ok ? null : { kind: done.kind, reason: done.reason, evidence: [...trail] };
}
