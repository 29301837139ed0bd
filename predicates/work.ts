// Slurm follows the mode (issue 15): the node is drained before the machine
// leaves compute and resumed once compute is proven, and a job running on it
// holds the switch. Predicates over the slurm fact (absent when
// config.slurm.enable is false: not collected, nothing to guard).
import type { Config } from '../schemas/config.ts';
import type { Facts, Known, SlurmJob, SlurmNode } from '../schemas/facts.ts';
import type { ModeName, ObservedModeName } from '../schemas/names.ts';
import type { GuardReport, GuardVerdict, Outcome, Reason } from '../schemas/records.ts';
import { conflict, fine, holds, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';
import { passed, verdictOf } from './guard-verdict.ts';

export const SLURM_JOBS_RUNNING = 'slurm-jobs-running';
export const JOBS_LEFT_RUNNING = 'slurm-jobs-left-running';

/** The one switch during which a job can run on the node: outside compute it is drained. */
export const leavesCompute = (from: ObservedModeName, target: ModeName): boolean => from === 'compute' && target !== 'compute';

/** `job 42 of alice (train) RUNNING since 2026-12-03T10:00:00` */
export const jobLine = (job: SlurmJob): string =>
  `job ${job.id} of ${job.user ?? '?'}${job.name === null ? '' : ` (${job.name})`} ${job.state}${job.startedAt === null ? '' : ` since ${job.startedAt}`}`;

/** A check of the slurm fact when it was read; missing when it was not collected or could not be read. */
function ofSlurm(facts: Facts, check: (slurm: Known<SlurmNode>) => Check): Check {
  const slurm = facts.slurm;
  if (slurm === undefined) return missingFact(reason('fact-unknown', 'the fact slurm was not observed: the observer collects it only when slurm.enable is true', ['slurm'], []));
  return slurm.status === 'unknown' ? missingFact(unknownFactReason(slurm, 'slurm')) : check(slurm);
}

/** No job runs (or completes) on the node. */
export const workEnded = (facts: Facts): Check =>
  ofSlurm(facts, (slurm) => {
    const { node, jobs } = slurm.value;
    const evidence = [evidenceOf(slurm, 'slurm.jobs', jobs.length === 0 ? [`no job runs on node ${node}`] : jobs.map(jobLine))];
    if (jobs.length === 0) return fine(evidence);
    const named = jobs.map((j) => `${j.id} (${j.user ?? 'user unknown'})`).join(', ');
    return conflict(reason(SLURM_JOBS_RUNNING, `Slurm job ${named} still runs on node ${node}`, ['slurm', 'jobs'], evidence));
  });

/** No new job lands: the node carries a DRAIN flag. */
export const workDrained = (facts: Facts): Check =>
  ofSlurm(facts, (slurm) => {
    const { node, states, drained } = slurm.value;
    const evidence = [evidenceOf(slurm, 'slurm.drained', [`node ${node} State=${states.join('+')} Reason=${slurm.value.reason ?? '(none)'}`])];
    return drained ? fine(evidence) : conflict(reason('slurm-not-drained', `node ${node} is not drained (State=${states.join('+')})`, ['slurm', 'drained'], evidence));
  });

/** Work may land: the node is not drained and, when configured, carries the compute feature. */
export const workResumed = (facts: Facts, config: Config): Check =>
  ofSlurm(facts, (slurm) => {
    const { node, states, drained, features } = slurm.value;
    const feature = config.slurm.computeFeature;
    const evidence = [evidenceOf(slurm, 'slurm', [`node ${node} State=${states.join('+')} ActiveFeatures=${features.active.join(',') || '(none)'}`])];
    if (drained) return conflict(reason('slurm-drained', `node ${node} is still drained (State=${states.join('+')}, Reason=${slurm.value.reason ?? '(none)'})`, ['slurm', 'drained'], evidence));
    if (feature !== null && !features.active.includes(feature)) {
      return conflict(reason('slurm-feature-missing', `node ${node} does not carry the feature ${feature}`, ['slurm', 'features', 'active'], evidence));
    }
    return fine(evidence);
  });

/**
 * The hard guard of leaving compute: no Slurm job runs on the node. Not
 * evaluated when slurm.enable is false; passes whenever the switch does not
 * leave compute, whatever Slurm says (the node is drained there already), so
 * an unreachable slurmctld never holds the way back to desktop. A run that
 * drained the node is leaving compute, whatever the machine looks like after
 * the wait (vLLM may have died meanwhile): its jobs still count.
 */
export function slurmJobsRunning(facts: Facts, config: Config, from: ObservedModeName, target: ModeName, drained = false): GuardVerdict | null {
  if (!config.slurm.enable) return null;
  if (!leavesCompute(from, target) && !drained) {
    return passed(SLURM_JOBS_RUNNING, 'hard', `the switch from ${from} does not leave compute: the node is drained outside compute, no job can be running`, []);
  }
  return verdictOf(SLURM_JOBS_RUNNING, 'hard', workEnded(facts), 'no Slurm job runs on the node');
}

/** Where the run is: whether it drained the node already, and whether the operator asked `--force`. */
export interface WorkStage {
  drained: boolean;
  force: boolean;
}

/**
 * Whether a verdict blocks the switch now. A failed hard guard blocks, except
 * slurm-jobs-running: `--force` waives it; before the drain, jobs that are
 * known to run do not block yet (the run drains and waits for them, then
 * decides again); an unknown slurm fact blocks at once (fail closed).
 */
export function blocksNow(verdict: GuardVerdict, stage: WorkStage): boolean {
  if (verdict.passed || verdict.severity !== 'hard') return false;
  if (verdict.code !== SLURM_JOBS_RUNNING) return true;
  if (stage.force) return false;
  return stage.drained || verdict.missingFact !== null;
}

export const firstBlocking = (report: GuardReport, stage: WorkStage): GuardVerdict | null => report.verdicts.find((v) => blocksNow(v, stage)) ?? null;

/** The record's warning for a slurm-jobs-running guard that `--force` waived; null when it passed or was not waived. */
export function workLeftRunning(report: GuardReport, force: boolean): Reason | null {
  const verdict = report.verdicts.find((v) => v.code === SLURM_JOBS_RUNNING && !v.passed);
  if (!force || verdict === undefined) return null;
  const message = `--force waived ${SLURM_JOBS_RUNNING}: ${verdict.message}; no job was killed, each runs on until it ends`;
  return { code: JOBS_LEFT_RUNNING, message, path: ['guards', SLURM_JOBS_RUNNING], evidence: verdict.evidence };
}

/** The run drains the node when it leaves compute, once. */
export const drainDue = (config: Config, from: ObservedModeName, target: ModeName, drained: boolean): boolean =>
  config.slurm.enable && !drained && leavesCompute(from, target);

/**
 * Slurm follows the mode the run settles in: compute reached (succeeded),
 * compute already proven but the node not resumed (noop: a run that drained
 * and died, a resume that failed), or compute kept after this run drained the
 * node (blocked, or rolled back to compute). A degraded or interrupted run
 * leaves the node drained: no work lands on a machine whose mode is not proven.
 */
export function resumeDue(config: Config, target: ModeName, outcome: Outcome | null, drained: boolean, facts: Facts | null, observed: ObservedModeName | null): boolean {
  if (!config.slurm.enable) return false;
  if (outcome === 'succeeded') return target === 'compute';
  if (outcome === 'noop') return target === 'compute' && facts !== null && !holds(workResumed(facts, config));
  // rolled back means compute proven again; blocked keeps the machine as the run's last look classified it
  return drained && (outcome === 'rolled-back' || (outcome === 'blocked' && observed === 'compute'));
}
