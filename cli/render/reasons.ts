// Reasons and evidence as lines a person reads: the code, the message, and
// the facts behind it with where they came from. Text output is for reading:
// repeated reasons are folded and long lines cut (--json keeps everything).
import type { FactSource } from '../../schemas/facts.ts';
import type { Evidence, Reason } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';

const MAX_LINE = 200;
export const cut = (text: string): string => (text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text);

/** A command as its whole argv and exit status, or (`brief`) as the tool's name and its verb, naming only a failing exit. */
const commandLabel = (argv: readonly string[], exitCode: number | null, brief: ((argv: readonly string[]) => string) | null): string => {
  if (brief === null) return `${argv.join(' ')}${exitCode === null ? '' : ` (exit ${exitCode})`}`;
  return `${brief(argv)}${exitCode === null || exitCode === 0 ? '' : ` (exit ${exitCode})`}`;
};

/** Where a fact came from, for a person; `briefCommand` shortens a command (mode status's glance) where the whole argv is too much. */
export function sourceLabel(source: FactSource | null, briefCommand: ((argv: readonly string[]) => string) | null = null): string {
  if (!source) return '';
  switch (source.kind) {
    case 'command':
      return commandLabel(source.argv, source.exitCode, briefCommand);
    case 'file':
      return source.path;
    case 'syscall':
      return `${source.call} ${source.path}`;
    case 'simulated':
      return `simulated ${source.name}`;
  }
}

export function evidenceLines(evidence: readonly Evidence[], indent: string, p: Paint, limit = 6): string[] {
  // Several facts often share one failed source; say it once.
  const distinct = [
    ...new Set(
      evidence.map((e) => {
        const from = sourceLabel(e.source);
        return `${indent}${cut(`${e.fact}: ${e.lines.join('; ') || '(no lines)'}`)}${from ? p.dim(`  [${cut(from)}]`) : ''}`;
      }),
    ),
  ];
  const shown = distinct.slice(0, limit);
  if (distinct.length > limit) shown.push(`${indent}${p.dim(`... ${distinct.length - limit} more (--json shows all)`)}`);
  return shown;
}

export function reasonLines(reason: Reason, indent: string, p: Paint): string[] {
  return [`${indent}${p.bold(reason.code)}: ${cut(reason.message)}`, ...evidenceLines(reason.evidence, `${indent}    `, p, 3)];
}

/** Several reasons, each distinct message once with how often it occurred. */
export function reasonsBlock(reasons: readonly Reason[], indent: string, p: Paint): string[] {
  const groups = new Map<string, { reason: Reason; count: number }>();
  for (const reason of reasons) {
    const key = `${reason.code}\u0000${reason.message}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { reason, count: 1 });
  }
  return [...groups.values()].flatMap(({ reason, count }) => {
    const [head = '', ...rest] = reasonLines(reason, indent, p);
    return [count > 1 ? `${head} ${p.dim(`(×${count})`)}` : head, ...rest];
  });
}
