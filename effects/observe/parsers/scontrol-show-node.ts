// Parses `scontrol show node --oneliner <node>` (Slurm 22.05): one line per
// node of `Key=value` pairs separated by spaces. Values may hold spaces (OS=,
// Reason=), so a pair ends where the next ` Key=` begins; Reason= is the
// operator's free text and comes after every other field but Comment= and
// Extra=, so it runs to one of those or to the end of the line, `=` and all.
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface ScontrolNode {
  node: string;
  /** State=IDLE+DRAIN → ["IDLE", "DRAIN"] */
  states: string[];
  drained: boolean;
  /** Reason= without Slurm's " [user@time]" suffix; null when none is set */
  reason: string | null;
  features: { available: string[]; active: string[] };
}

const KEY = /(?:^|\s)([A-Z][A-Za-z0-9_]*)=/g;
const FREE_TEXT_TAIL = /\s(?:Comment|Extra)=/;
const REASON_STAMP = /\s\[[^\]\s]*@[^\]\s]*\]$/;
/** DRAIN is the flag scontrol prints; sinfo's DRAINING/DRAINED are accepted should a build print them */
const DRAIN_FLAGS = new Set(['DRAIN', 'DRAINING', 'DRAINED']);

export function parseScontrolShowNode(text: string, node: string): ParseResult<ScontrolNode> {
  if (text.trim() === '') return emptyInput(`\`scontrol show node --oneliner ${node}\` output`);
  const lines = splitLines(text);
  const index = lines.findIndex((line) => line.startsWith(`NodeName=${node} `) || line === `NodeName=${node}`);
  if (index < 0) {
    const first = lines.findIndex((line) => line.trim() !== '');
    return failAt(lines, first + 1, lines[first]?.startsWith('NodeName=') ? `no line for NodeName=${node}` : 'not `scontrol show node --oneliner` output (no NodeName= line)');
  }
  const fields = pairs(lines[index]!);
  const state = fields.get('State');
  if (state === undefined || state === '') return failAt(lines, index + 1, 'no State= field');
  const states = state.split('+').filter((s) => s !== '');
  if (!states.every((s) => /^[A-Z_]+\*?$/.test(s))) return failAt(lines, index + 1, `State=${state} is not Slurm's BASE+FLAG form`);
  const available = featureList(fields.get('AvailableFeatures'));
  const active = featureList(fields.get('ActiveFeatures'));
  const reason = fields.get('Reason');
  return parseOk({
    node,
    states,
    drained: states.some((s) => DRAIN_FLAGS.has(s)),
    reason: reason === undefined || reason === '' || reason === '(null)' ? null : reason.replace(REASON_STAMP, ''),
    features: { available, active },
  });
}

function pairs(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const reasonAt = line.search(/(?:^|\s)Reason=/);
  const head = reasonAt < 0 ? line : line.slice(0, reasonAt);
  const starts = [...head.matchAll(KEY)];
  starts.forEach((match, i) => {
    const from = match.index + match[0].length;
    const to = i + 1 < starts.length ? starts[i + 1]!.index : head.length;
    if (!fields.has(match[1]!)) fields.set(match[1]!, head.slice(from, to).trim());
  });
  if (reasonAt >= 0) {
    const rest = line.slice(line.indexOf('Reason=', reasonAt) + 'Reason='.length);
    const end = rest.search(FREE_TEXT_TAIL);
    fields.set('Reason', (end < 0 ? rest : rest.slice(0, end)).trim());
  }
  return fields;
}

function featureList(value: string | undefined): string[] {
  if (value === undefined || value === '' || value === '(null)') return [];
  return value.split(',').filter((f) => f !== '');
}
