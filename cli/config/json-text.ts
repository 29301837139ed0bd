// Strict reading of a JSON document a person wrote: what JSON.parse accepts
// silently (a duplicate key keeps the last value) or dangerously (keys named
// __proto__ or constructor) is refused with the line, column and JSON path.
// Pure: text in, value or problem out.
import { describeError } from '../../shared/describe-error.ts';

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; problem: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseStrictJson(text: string): JsonTextResult {
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, problem: 'line 1, column 1: the file starts with a byte order mark (BOM); save it as UTF-8 without BOM' };
  if (text.trim() === '') return { ok: false, problem: 'the file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: describeSyntaxError(text, describeError(error)) };
  }
  const keyProblem = findKeyProblem(text);
  return keyProblem ? { ok: false, problem: keyProblem } : { ok: true, value };
}

function describeSyntaxError(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  const where = position ? lineColumn(text, Number(position[1])) : /end of JSON input/.test(message) ? lineColumn(text, text.length) : null;
  const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
  return `${where ? `line ${where.line}, column ${where.column}: ` : ''}not valid JSON: ${detail}`;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Walks text that JSON.parse accepted, tracking the path, and reports the first
 * duplicate or forbidden key. Valid JSON makes this a small scanner: strings,
 * brackets, colons and commas are all it needs to tell keys from values.
 */
function findKeyProblem(text: string): string | null {
  type Frame = { kind: 'object'; keys: Set<string>; key: string | null; expectKey: boolean } | { kind: 'array'; index: number };
  const stack: Frame[] = [];
  // The path to a key being read: its parents' keys and indices, then the key itself.
  const pathOf = (key: string): string =>
    [...stack.slice(0, -1).flatMap((f) => (f.kind === 'object' ? (f.key === null ? [] : [f.key]) : [String(f.index)])), key].join('.');
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        // the line and column only for a problem: computed for every key, they made this quadratic
        const at = (): string => {
          const { line, column } = lineColumn(text, i);
          return `line ${line}, column ${column}`;
        };
        if (FORBIDDEN_KEYS.has(key)) return `${at()}: key "${key}" at ${pathOf(key)} is not allowed (it could alter object prototypes)`;
        if (top.keys.has(key)) return `${at()}: duplicate key "${key}" at ${pathOf(key)}; JSON keeps only the last one, so remove one of them`;
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', keys: new Set(), key: null, expectKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      if (top?.kind === 'object') top.expectKey = true;
      else if (top?.kind === 'array') top.index += 1;
    }
  }
  return null;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
