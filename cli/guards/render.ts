// A guard report as text: the verdict, then each guard with severity,
// pass/fail, the missing fact when it failed closed, and its evidence.
import type { GuardReport } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';
import { cut, evidenceLines } from '../render/reasons.ts';

export function renderGuards(report: GuardReport, p: Paint, indent = ''): string[] {
  const verdict = report.verdict === 'pass' ? p.green('pass') : report.verdict === 'soft-only' ? p.yellow('soft-only') : p.red('hard-block');
  const lines = [`${indent}guards ${report.from} -> ${report.target}: ${verdict}`];
  const width = Math.max(0, ...report.verdicts.map((v) => v.code.length));
  for (const v of report.verdicts) {
    const mark = v.passed ? p.green('pass') : v.severity === 'hard' ? p.red('FAIL') : p.yellow('warn');
    lines.push(`${indent}  ${mark}  ${v.severity.padEnd(4)}  ${v.code.padEnd(width)}  ${cut(v.message)}`);
    if (v.missingFact) lines.push(`${indent}        ${p.yellow(`failed closed: the fact ${v.missingFact} is unknown`)}`);
    if (!v.passed) lines.push(...evidenceLines(v.evidence, `${indent}        `, p, 4));
  }
  return lines;
}
