// One line of `mode watch` per event, for a person at a terminal (or a
// status bar that shows text): the time it happened, then what.
import type { WatchEvent, WatchState } from '../../schemas/cli-watch.ts';
import type { Paint } from '../color.ts';
import { formatDuration } from '../text.ts';

const GOOD_OUTCOMES = new Set(['succeeded', 'noop']);

export function watchLine(event: WatchEvent, p: Paint): string {
  return `${p.dim(event.at)}  ${describe(event, p)}`;
}

function describe(event: WatchEvent, p: Paint): string {
  switch (event.event) {
    case 'state':
      return stateLine(event.state);
    case 'desired': {
      const d = event.desired;
      const by = [d.requestedBy === null ? '' : `by ${d.requestedBy}`, d.via === null ? '' : `via ${d.via}`].filter((x) => x !== '').join(' ');
      return `desired ${p.bold(d.mode)} (generation ${d.generation}${by === '' ? '' : `, ${by}`})${event.previousMode !== null && event.previousMode !== d.mode ? `, was ${event.previousMode}` : ''}`;
    }
    case 'observed': {
      const o = event.observed;
      const mode = o.mode === 'degraded' ? p.red(`degraded${o.degradedFrom === null ? '' : ` from ${o.degradedFrom}`}`) : o.mode === 'unknown' ? p.yellow('unknown') : p.bold(o.mode);
      return `observed ${mode}${event.previousMode === null ? '' : `, was ${event.previousMode}`}`;
    }
    case 'run-started': {
      const r = event.run;
      return `run started${r.target === null ? '' : ` to ${p.bold(r.target)}`}${r.generation === null ? '' : ` (generation ${r.generation})`}${r.runId === null ? '' : p.dim(`  run ${r.runId}`)}`;
    }
    case 'step-started':
      return `  ${event.phase} ${event.stepId} ...`;
    case 'step-finished': {
      const took = event.durationMs === null ? '' : p.dim(`  ${formatDuration(event.durationMs)}`);
      return `  ${event.phase} ${event.stepId}: ${event.ok ? 'ok' : p.red(`FAILED ${event.message}`)}${took}`;
    }
    case 'outcome': {
      const o = event.outcome;
      const name = GOOD_OUTCOMES.has(o.outcome) ? p.green(o.outcome) : p.red(o.outcome);
      return `${name}${o.target === null ? '' : `: ${o.target}`}${o.generation === null ? '' : ` (generation ${o.generation})`}${o.reason === null ? '' : ` - ${o.reason}`}`;
    }
  }
}

/** The first line: the mode at a glance. */
export function stateLine(state: WatchState): string {
  const parts = [
    `observed ${state.observed === null ? 'nothing yet' : state.observed.mode}${state.observed?.degradedFrom ? ` from ${state.observed.degradedFrom}` : ''}`,
    `desired ${state.desired === null ? 'nothing requested (the boot default applies)' : `${state.desired.mode} (generation ${state.desired.generation})`}`,
  ];
  if (state.run !== null) parts.push(`a run is in progress${state.run.target === null ? '' : ` to ${state.run.target}`}${state.run.step === null || state.run.step === 'planned' ? '' : `, at ${state.run.step}`}`);
  if (state.lastOutcome !== null) parts.push(`last outcome ${state.lastOutcome.outcome}${state.lastOutcome.target === null ? '' : ` (${state.lastOutcome.target})`}`);
  return parts.join('; ');
}
