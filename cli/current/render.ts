// `mode current` as text: the mode and what proves it, then every fact source.
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { Paint } from '../color.ts';
import { evidenceLines, reasonsBlock } from '../render/reasons.ts';
import { when } from '../render/time.ts';
import { factLines } from './facts-summary.ts';

export function renderCurrent(c: CurrentOutput, p: Paint, nowMs: number): string {
  if (!c.observed) return `${p.yellow('unknown')}: no observation recorded yet; run mode current --refresh\n`;
  const o = c.observed;
  const mode = o.mode === 'degraded' ? p.red(`degraded from ${o.degradedFrom}`) : o.mode === 'unknown' ? p.yellow('unknown') : p.green(p.bold(o.mode));
  const lines = [`${mode}  observed ${when(o.observedAt, nowMs)}${c.source === 'fresh' ? ', fresh' : o.runId ? `, recorded by run ${o.runId}` : ''}`];
  if (o.evidence.length > 0) lines.push(p.bold('evidence:'), ...evidenceLines(o.evidence, '  ', p, 50));
  if (o.conflicts.length > 0) lines.push(p.bold('conflicts:'), ...reasonsBlock(o.conflicts, '  ', p));
  if (o.missing.length > 0) lines.push(p.bold('missing:'), ...reasonsBlock(o.missing, '  ', p));
  if (c.facts) lines.push(p.bold('facts:'), ...factLines(c.facts, p));
  return `${lines.join('\n')}\n`;
}
