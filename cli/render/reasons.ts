// Reasons and evidence as lines a person reads: the code, the message, and
// the facts behind it with where they came from.
import type { FactSource } from '../../schemas/facts.ts';
import type { Evidence, Reason } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';

export function sourceLabel(source: FactSource | null): string {
  if (!source) return '';
  switch (source.kind) {
    case 'command':
      return `${source.argv.join(' ')}${source.exitCode === null ? '' : ` (exit ${source.exitCode})`}`;
    case 'file':
      return source.path;
    case 'syscall':
      return `${source.call} ${source.path}`;
    case 'simulated':
      return `simulated ${source.name}`;
  }
}

export function evidenceLines(evidence: readonly Evidence[], indent: string, p: Paint, limit = 6): string[] {
  const shown = evidence.slice(0, limit).map((e) => {
    const from = sourceLabel(e.source);
    return `${indent}${e.fact}: ${e.lines.join('; ') || '(no lines)'}${from ? p.dim(`  [${from}]`) : ''}`;
  });
  if (evidence.length > limit) shown.push(`${indent}${p.dim(`... ${evidence.length - limit} more (--json shows all)`)}`);
  return shown;
}

export function reasonLines(reason: Reason, indent: string, p: Paint): string[] {
  return [`${indent}${p.bold(reason.code)}: ${reason.message}`, ...evidenceLines(reason.evidence, `${indent}    `, p, 4)];
}
