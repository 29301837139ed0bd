// What every parser returns: the value, or a failure that names the line it
// could not read and keeps the lines around it as evidence. Parsers never
// throw; a failure is data that becomes an `unknown` fact.
export interface ParseFailure {
  ok: false;
  /** 1-based line number of the input that could not be read; null when no single line is to blame */
  line: number | null;
  message: string;
  excerpt: string[];
}
export interface ParseOk<T> {
  ok: true;
  value: T;
}
export type ParseResult<T> = ParseOk<T> | ParseFailure;

export const parseOk = <T>(value: T): ParseOk<T> => ({ ok: true, value });

const EXCERPT_CONTEXT = 2;
const EXCERPT_LINE_CHARS = 300;

/** A failure at `line` (1-based) of `lines`; the message is prefixed with the line number. */
export function failAt(lines: readonly string[], line: number | null, message: string): ParseFailure {
  if (line === null) return { ok: false, line: null, message, excerpt: lines.slice(0, 2 * EXCERPT_CONTEXT + 1).map(clip) };
  const from = Math.max(0, line - 1 - EXCERPT_CONTEXT);
  const excerpt = lines.slice(from, line + EXCERPT_CONTEXT).map((text, i) => `${from + i + 1}: ${clip(text)}`);
  return { ok: false, line, message: `line ${line}: ${message}`, excerpt };
}

function clip(text: string): string {
  return text.length > EXCERPT_LINE_CHARS ? `${text.slice(0, EXCERPT_LINE_CHARS)}…` : text;
}

/** Lines of a tool's output: CRLF tolerated, one trailing newline dropped. */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** For inputs that must not be empty: a failure that says so. */
export function emptyInput(what: string): ParseFailure {
  return { ok: false, line: null, message: `the input is empty; expected ${what}`, excerpt: [] };
}
