// `systemctl show` and `loginctl show-session` print one KEY=VALUE line per
// property and an empty line between objects. systemd prints a unit's
// properties in D-Bus interface order, not in --property order (a service's
// Result, CPUWeight and IOWeight come before its Id), so an object is the
// whole block, never a run of lines starting at Id.
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface KeyValueBlock {
  /** 1-based line of the block's first property */
  firstLine: number;
  values: ReadonlyMap<string, string>;
  lineOf: ReadonlyMap<string, number>;
}

const PROPERTY = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/;

export function parseKeyValueBlocks(text: string, what: string): ParseResult<KeyValueBlock[]> {
  const lines = splitLines(text);
  const blocks: KeyValueBlock[] = [];
  let values = new Map<string, string>();
  let lineOf = new Map<string, number>();
  let firstLine = 0;
  const close = () => {
    if (values.size > 0) blocks.push({ firstLine, values, lineOf });
    values = new Map();
    lineOf = new Map();
  };
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      close();
      continue;
    }
    const match = PROPERTY.exec(line);
    if (!match) return failAt(lines, i + 1, `expected KEY=VALUE as ${what} prints it, got ${JSON.stringify(line.slice(0, 80))}`);
    const key = match[1]!;
    if (values.has(key)) {
      return failAt(lines, i + 1, `${key} appears twice in the block that starts on line ${firstLine}; objects must be separated by an empty line`);
    }
    if (values.size === 0) firstLine = i + 1;
    values.set(key, match[2]!);
    lineOf.set(key, i + 1);
  }
  close();
  return parseOk(blocks);
}

/**
 * What both `show` parsers do: non-empty output, KEY=VALUE blocks, and block by
 * block the properties the tool always prints for a real object (`object`
 * names it in the failure; `hint` says what to check), then `read` turns the
 * block into a value or a failure; the first failure, in block order, wins.
 */
export function parseShownObjects<T>(
  text: string,
  shown: { what: string; object: string; required: readonly string[]; hint?: string },
  read: (block: KeyValueBlock, lines: readonly string[]) => ParseResult<T>,
): ParseResult<T[]> {
  if (text.trim() === '') return emptyInput(`${shown.what} output (KEY=VALUE lines)`);
  const parsed = parseKeyValueBlocks(text, shown.what);
  if (!parsed.ok) return parsed;
  const lines = splitLines(text);
  const values: T[] = [];
  for (const block of parsed.value) {
    const missing = shown.required.filter((key) => !block.values.has(key));
    if (missing.length > 0) return failAt(lines, block.firstLine, `the ${shown.object} block starting here has no ${missing.join(', ')}${shown.hint ?? ''}`);
    const value = read(block, lines);
    if (!value.ok) return value;
    values.push(value.value);
  }
  return parseOk(values);
}
