// `mode explain` as text: what a run would do now and why, the path through
// the chart with live verdicts, the guards, the plan and the losses, then
// the whole chart.
import type { ExplainOutput } from '../../schemas/cli-output.ts';
import type { Action } from '../../schemas/records.ts';
import { edgeLabel } from '../../machines/render/graph.ts';
import type { Paint } from '../color.ts';
import { renderGuards } from '../guards/render.ts';
import { evidenceLines, reasonsBlock } from '../render/reasons.ts';

const short = (root: string, id: string): string => (id.startsWith(`${root}.`) ? id.slice(root.length + 1) : id);

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'start':
    case 'stop':
    case 'isolate':
      return `systemctl ${action.kind} ${action.unit}`;
    case 'set-property':
      return `systemctl set-property --runtime ${action.unit} CPUWeight=${action.weights.cpuWeight ?? '(unset)'} IOWeight=${action.weights.ioWeight ?? '(unset)'}`;
    case 'terminate-session':
      return `loginctl terminate-session ${action.sessionId}${action.user ? ` (user ${action.user}${action.seat ? ` on ${action.seat}` : ''})` : ''}`;
    case 'stop-user-unit':
      return `systemctl --user --machine=${action.uid}@ stop ${action.unit}`;
    case 'drain-work':
      return `drain the Slurm node, reason "${action.reason}" (then observe it drained)`;
    case 'resume-work':
      return 'resume the Slurm node (then observe it resumed)';
    case 'wait':
      return `wait until ${action.until} (at most ${Math.round(action.timeoutMs / 1000)}s)`;
  }
}

export function renderExplain(e: ExplainOutput, p: Paint): string {
  const root = e.chart.root;
  const o = e.observed;
  const lines: string[] = [];
  const observed = o.mode === 'degraded' ? `degraded from ${o.degradedFrom}` : o.mode;
  lines.push(`${p.bold('observed')}  ${observed} (fresh observation at ${o.observedAt})`);
  lines.push(...evidenceLines(o.evidence, '  ', p, 4), ...reasonsBlock(o.conflicts, '  conflict ', p), ...reasonsBlock(o.missing, '  missing ', p));
  const now =
    e.runNow === 'noop'
      ? p.green(`nothing to do: ${e.target} is already proven (outcome noop)`)
      : e.runNow === 'blocked'
        ? p.red(`blocked: a hard guard fails, nothing would be touched (outcome blocked)`)
        : p.yellow(`would switch ${observed} -> ${e.target} in ${e.plan.length} step(s), then verify by observing again`);
  lines.push('', `${p.bold(`a run to ${e.target} now:`)} ${now}`, '', p.bold('path through the controller chart:'));
  for (const step of e.path) {
    const verdict =
      step.when === 'predicted'
        ? p.dim('decided during the run')
        : `${step.edge.guard ? p.green(`${step.edge.guard} holds now`) : 'taken now'}${step.rejected.length > 0 ? `; ${step.rejected.map((g) => `${g} does not hold`).join(', ')}` : ''}`;
    lines.push(`  ${short(root, step.edge.from)} -> ${short(root, step.edge.to)}  ${p.dim(edgeLabel(step.edge))}  ${verdict}`);
  }
  lines.push('', ...renderGuards(e.guards, p));
  if (e.plan.length > 0) {
    lines.push('', p.bold('steps, in order:'));
    e.plan.forEach((step, i) => {
      lines.push(`  ${String(i + 1).padStart(2)}. ${step.id}: ${describeAction(step.action)}${step.inverse ? p.dim(`  (undo: ${describeAction(step.inverse)})`) : ''}`);
    });
  }
  lines.push('', p.bold('what a user will lose:'), ...(e.losses.length > 0 ? e.losses.map((l) => `  - ${l}`) : ['  nothing']));
  lines.push('', p.bold(`the chart (${e.chart.states.length} states, ${e.chart.edges.length} transitions; --format dot or mermaid draws it):`));
  for (const state of e.chart.states) {
    if (state.id === root) continue;
    const depth = short(root, state.id).split('.').length;
    const out = e.chart.edges.filter((edge) => edge.from === state.id);
    lines.push(`${'  '.repeat(depth)}${state.key}${state.type === 'final' ? ' (final)' : ''}`);
    for (const edge of out) lines.push(`${'  '.repeat(depth + 1)}-> ${short(root, edge.to)}  ${p.dim(edgeLabel(edge))}`);
  }
  return `${lines.join('\n')}\n`;
}
