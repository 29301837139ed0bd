// JSON.parse with a failure that names the line. V8 reports "(line N column
// M)" for most syntax errors but not for an unexpected token; then the line
// is found by scanning for where the document stops being JSON.
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';
import { describeError } from '../../../shared/describe-error.ts';

export function parseJsonText(text: string, what: string): ParseResult<unknown> {
  try {
    return parseOk(JSON.parse(text) as unknown);
  } catch (error) {
    const message = describeError(error);
    const lines = splitLines(text);
    const reported = /\(line (\d+) column \d+\)/.exec(message);
    const line = reported ? Number(reported[1]) : lineOfOffset(text, firstInvalidOffset(text));
    return failAt(lines, line, `not valid ${what}: ${message.replace(/, ".*" is not valid JSON$/s, '')}`);
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The offset of the first character at which `text` cannot continue as JSON. */
function firstInvalidOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else throw new InvalidAt(i);
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw new InvalidAt(i);
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '' || match[0] === '-') throw new InvalidAt(i);
    i += match[0].length;
  };
  // `{ … }` and `[ … ]` alike: the opening character, nothing or items separated by commas, the closing one
  const sequence = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else throw new InvalidAt(i);
    }
  };
  const member = () => {
    ws();
    if (text[i] !== '"') throw new InvalidAt(i);
    string();
    ws();
    if (text[i] !== ':') throw new InvalidAt(i);
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') sequence('}', member);
    else if (c === '[') sequence(']', value);
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return i;
  } catch (stop) {
    return stop instanceof InvalidAt ? stop.offset : 0;
  }
}

class InvalidAt extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`invalid JSON at offset ${offset}`);
    this.offset = offset;
  }
}
