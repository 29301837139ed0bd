// The facts behind a mode as a short table for a person: one row per fact
// (its name, its value, a reference to its source) and each source named once
// below, instead of every row repeating a whole systemctl argv. `--verbose`
// and `--json` keep every line and every argument.
import { basename } from 'node:path';
import type { FactSource } from '../../schemas/facts.ts';
import type { Evidence, Reason } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';
import { sourceLabel } from '../render/reasons.ts';

const VALUE_WIDTH = 56;
const SOURCE_WIDTH = 72;
export const GLANCE_ROWS = 12;

const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** A source in a few words: the tool and its verb, a file's path, a call and its path. */
export const shortSource = (source: FactSource): string =>
  sourceLabel(source, ([tool = '', ...args]) => clip([basename(tool), args.find((arg) => !arg.startsWith('-')) ?? args[0]].filter(Boolean).join(' '), SOURCE_WIDTH));

/** A fact's lines as one value; a line that only restates the fact's own subject ("vllm.service: ...") drops it. */
export function factValue(evidence: Evidence): string {
  const lines = evidence.lines.map((line) => {
    const colon = line.indexOf(': ');
    return colon > 0 && evidence.fact.includes(line.slice(0, colon)) ? line.slice(colon + 2) : line;
  });
  return clip(lines.join('; ') || '(no lines)', VALUE_WIDTH);
}

/** Numbers each distinct source in order of first use. */
class SourceIndex {
  private readonly labels: string[] = [];

  ref(source: FactSource | null): string {
    if (!source) return '';
    const label = shortSource(source);
    let at = this.labels.indexOf(label);
    if (at < 0) at = this.labels.push(label) - 1;
    return `[${at + 1}]`;
  }

  lines(indent: string, p: Paint): string[] {
    return this.labels.map((label, i) => `${indent}${p.dim(`[${i + 1}]`)} ${label}`);
  }
}

export interface GlanceTable {
  rows: string[];
  sources: string[];
}

export interface GlanceRow {
  name: string;
  value: string;
  source: FactSource | null;
}

/** The evidence of a proven mode: one row per fact. */
export const evidenceRows = (evidence: readonly Evidence[]): GlanceRow[] => evidence.map((e) => ({ name: e.fact, value: factValue(e), source: e.source }));

/** Conflicts or missing facts: a reason's code (after a word saying which) and message, its source from its first evidence. */
export const reasonRows = (reasons: readonly Reason[], kind: string): GlanceRow[] =>
  reasons.map((r) => ({ name: `${kind} ${r.code}`, value: clip(r.message, VALUE_WIDTH), source: r.evidence.find((e) => e.source)?.source ?? null }));

/** Rows aligned, each distinct row once, at most GLANCE_ROWS; the sources they cite numbered below them. */
export function glanceTable(rows: readonly GlanceRow[], indent: string, sourceIndent: string, p: Paint): GlanceTable {
  const sources = new SourceIndex();
  const distinct = [...new Map(rows.map((row) => [`${row.name}\u0000${row.value}`, row])).values()];
  const shown = distinct.slice(0, GLANCE_ROWS);
  const width = Math.max(0, ...shown.map((row) => row.name.length));
  const lines = shown.map((row) => {
    const ref = sources.ref(row.source);
    return `${indent}${row.name.padEnd(width)}  ${row.value}${ref ? `  ${p.dim(ref)}` : ''}`;
  });
  if (distinct.length > shown.length) lines.push(`${indent}${p.dim(`… ${distinct.length - shown.length} more (mode status --verbose)`)}`);
  return { rows: lines, sources: sources.lines(sourceIndent, p) };
}
