// `mode status` as text: one labelled line per question, details indented.
// By default one screen for a person: the facts behind the observed mode as a
// short table citing each source once (glance.ts); `--verbose` prints every
// evidence line with its full source, as `--json` keeps everything.
import type { StatusOutput } from '../../schemas/cli-output.ts';
import type { Paint } from '../color.ts';
import { desiredDetail } from '../render/desired.ts';
import { evidenceLines, reasonsBlock } from '../render/reasons.ts';
import { evidenceRows, glanceTable, reasonRows } from './glance.ts';
import { when } from '../render/time.ts';
import { formatDuration } from '../text.ts';

const label = (p: Paint, text: string) => p.bold(text.padEnd(10));
const DETAIL = ' '.repeat(10);

export function renderStatus(s: StatusOutput, p: Paint, nowMs: number, verbose = false): string {
  const short = !verbose;
  const lines: string[] = [];
  lines.push(
    s.desired
      ? `${label(p, 'desired')}${p.bold(s.desired.mode)}  ${desiredDetail(s.desired, nowMs, short)}`
      : `${label(p, 'desired')}none requested since boot (the boot default applies)`,
  );
  if (!s.observed) {
    lines.push(`${label(p, 'observed')}${p.yellow('nothing observed yet')}; run mode current --refresh`);
  } else {
    const o = s.observed;
    const mode = o.mode === 'degraded' ? p.red(`degraded from ${o.degradedFrom}`) : o.mode === 'unknown' ? p.yellow('unknown') : p.green(o.mode);
    lines.push(`${label(p, 'observed')}${mode}  ${short ? '' : 'at '}${when(o.observedAt, nowMs, short)}`);
    if (verbose) {
      lines.push(...evidenceLines(o.evidence, DETAIL, p, Infinity));
      lines.push(...reasonsBlock(o.conflicts, `${DETAIL}conflict `, p), ...reasonsBlock(o.missing, `${DETAIL}missing `, p));
    } else {
      const table = glanceTable([...evidenceRows(o.evidence), ...reasonRows(o.conflicts, 'conflict'), ...reasonRows(o.missing, 'missing')], DETAIL, '', p);
      lines.push(...table.rows);
      table.sources.forEach((source, i) => lines.push(`${i === 0 ? label(p, 'sources') : DETAIL}${source}`));
    }
  }
  if (s.pending.pending) {
    lines.push(`${label(p, 'pending')}${p.yellow('yes')}`, ...s.pending.reasons.map((r) => `${DETAIL}${r}`));
  } else {
    lines.push(`${label(p, 'pending')}no${s.pending.inFlight === null ? p.dim(' (cannot tell whether a run is in flight: /proc/locks unreadable)') : ''}`);
  }
  if (s.lastOutcome) {
    const l = s.lastOutcome;
    const outcome = l.outcome === 'succeeded' || l.outcome === 'noop' ? p.green(l.outcome) : p.red(l.outcome);
    lines.push(
      `${label(p, 'last run')}${outcome}  to ${l.target}${l.generation === null ? '' : ` (generation ${l.generation})`}, finished ${when(l.finishedAt, nowMs, short)}, took ${formatDuration(l.durationMs)}`,
    );
    if (l.firstFailedPredicate) lines.push(...reasonsBlock([l.firstFailedPredicate], `${DETAIL}first failed: `, p));
    // a succeeded switch can still leave the Slurm node unresumed, or jobs running that --force left
    if (l.warnings) lines.push(...reasonsBlock(l.warnings, `${DETAIL}warning: `, p));
  } else {
    lines.push(`${label(p, 'last run')}none recorded`);
  }
  for (const problem of s.problems) lines.push(`${label(p, 'unreadable')}${problem.reason}`);
  return `${lines.join('\n')}\n`;
}
