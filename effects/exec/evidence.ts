// Builds the CommandEvidence kept in records. Output is split into lines and
// capped, so a tool that prints megabytes cannot bloat a transition record,
// while the lines that explain a failure (the first ones) are kept.
import type { CommandEvidence } from '../../schemas/records.ts';

export const MAX_EVIDENCE_LINES = 200;
export const MAX_EVIDENCE_LINE_CHARS = 1000;

export function outputLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kept = lines.slice(0, MAX_EVIDENCE_LINES).map((line) =>
    line.length > MAX_EVIDENCE_LINE_CHARS ? `${line.slice(0, MAX_EVIDENCE_LINE_CHARS)}… (${line.length} characters)` : line,
  );
  if (lines.length > MAX_EVIDENCE_LINES) kept.push(`… ${lines.length - MAX_EVIDENCE_LINES} more lines`);
  return kept;
}

export function commandEvidence(fields: {
  argv: readonly string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}): CommandEvidence {
  return {
    argv: [...fields.argv],
    exitCode: fields.exitCode,
    signal: fields.signal,
    timedOut: fields.timedOut,
    stdout: outputLines(fields.stdout),
    stderr: outputLines(fields.stderr),
    durationMs: Math.max(0, Math.round(fields.durationMs * 10) / 10),
  };
}
