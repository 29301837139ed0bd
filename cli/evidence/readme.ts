// README.txt of the bundle: what each file is, how each piece ended, and what
// a bundle made by a user who is not root lacks. Pure: the results in, text out.
import type { PieceResult } from './collect.ts';

export interface BundleFacts {
  readonly createdAt: string;
  readonly hostname: string;
  readonly uid: number | null;
  readonly modeVersion: string;
  readonly nodeVersion: string;
}

export function ending(result: PieceResult): string {
  if (result.note !== null) return result.content.length === 0 ? `not in the bundle: ${result.note}` : result.note;
  if (result.exitCode === null) return 'copied';
  return `exit ${result.exitCode}${result.stderr.trim() === '' ? '' : `, stderr in ${result.file}.stderr`}`;
}

export function readme(facts: BundleFacts, results: readonly PieceResult[]): string {
  const root = facts.uid === 0;
  const lines = [
    'Dubnium mode controller: evidence bundle (`mode evidence`)',
    '',
    `made ${facts.createdAt} on ${facts.hostname} by uid ${facts.uid ?? 'unknown'}${root ? ' (root)' : ''}, mode ${facts.modeVersion}, node ${facts.nodeVersion}`,
    '',
    'The plan\'s "Evidence to keep": copy this folder (or the .tar.gz beside it) into the issue before changing more code.',
    'manifest.json has every piece with its command or file, exit status, signal, time and stderr; a piece whose stderr is not empty also has it in <file>.stderr.',
    'A piece that failed is kept with its status: one failing command never stops the rest.',
    '',
  ];
  if (!root) {
    lines.push('Made by a user who is not root, so it holds less than `sudo mode evidence` would:');
    for (const result of results.filter((r) => r.asUser !== undefined)) lines.push(`  ${result.file}: ${result.asUser}`);
    lines.push('');
  }
  lines.push('Files:');
  const width = Math.max(...results.map((r) => r.file.length), 'manifest.json'.length);
  for (const result of results) {
    lines.push(`  ${result.file.padEnd(width)}  ${result.what}`);
    lines.push(`  ${''.padEnd(width)}  from: ${result.from}; ${ending(result)}`);
  }
  lines.push(`  ${'manifest.json'.padEnd(width)}  every piece as JSON: file, from, exitCode, signal, timedOut, durationMs, stderr, note`);
  lines.push(`  ${'README.txt'.padEnd(width)}  this file`);
  return `${lines.join('\n')}\n`;
}
