// Everything `mode explain` shows, assembled from the live view, the chart
// and the path a run would take.
import { controller } from '../../machines/controller.ts';
import { chartGraph } from '../../machines/render/graph.ts';
import type { ExplainOutput } from '../../schemas/cli-output.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { LiveView } from '../live.ts';
import { observedSummary } from '../status/observed.ts';
import { livePath } from './live-path.ts';

export function explainModel(live: LiveView, target: ModeName): ExplainOutput {
  const chart = chartGraph(controller);
  const path = livePath(chart, live.config, { facts: live.facts, classification: live.from }, target, live.plan.length);
  const decided = path.filter((s) => s.when === 'now');
  const lastNow = decided[decided.length - 1]?.edge;
  // A run that reaches writingIntent applies its plan; one that goes straight to recording
  // is a noop when already in the target, and otherwise stopped by a guard.
  // Reaching noticing, it applies after warning the session's user, unless they refuse; reaching draining, after the
  // Slurm node is drained and its jobs have ended (they block it when they do not end within slurm.drainWaitSeconds).
  const applies = ['.writingIntent', '.noticing', '.draining'].some((state) => lastNow?.to.endsWith(state) === true);
  // already there goes on through settlingWork (a drained Slurm node is resumed) before recording
  const runNow = decided.some((s) => s.edge.guard === 'alreadyInTarget') ? 'noop' : applies ? 'apply' : 'blocked';
  // the Slurm steps the run takes around the plan (drain and wait before, resume after), in the order it takes them
  const steps = [...live.work.before, ...live.plan, ...live.work.after];
  return {
    schemaVersion: 1,
    target,
    observed: observedSummary(live.from, live.facts.observedAt, null),
    runNow,
    path,
    guards: live.guards,
    plan: runNow === 'apply' ? steps : [],
    losses: runNow === 'apply' ? steps.flatMap((step) => step.losses) : [],
    chart,
  };
}
