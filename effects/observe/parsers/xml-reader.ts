// A small XML reader for nvidia-smi's `-q -x` output, so that no XML library
// is needed. It reads elements, attributes, text, the five predefined
// entities and character references, comments, CDATA, the DOCTYPE and
// processing instructions; anything else is malformed and rejected with the
// line it was found on. It does not resolve DTDs or external entities.
//
// It runs once per `mode current --refresh` on a cold process, and twice per
// controller run under --jitless, over 10-100 KB of nvidia-smi output: so it
// compares character codes instead of one-character strings, finds each
// node's line by walking forward instead of searching (a 94 KB document:
// ~15 ms cold before, docs/observation.md), and ends a name with a sticky
// regexp's test(), which moves lastIndex without building a match array: the
// regexp engine scans a name faster than a loop of the interpreter's bytecode
// (a 94 KB capture cold under --jitless 10.8 -> 6.6 ms, docs/observation.md).
import { emptyInput, failAt, parseOk, splitLines, type ParseFailure, type ParseResult } from './parse-result.ts';

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlNode[];
  line: number;
}
export interface XmlText {
  kind: 'text';
  text: string;
  line: number;
}
export type XmlNode = XmlElement | XmlText;

// a name is [A-Za-z_:][-A-Za-z0-9_:.]*, by character code
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
const NAME_REST = /[-A-Za-z0-9_:.]*/y;
// space, tab, carriage return, line feed
const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
const LT = 60;
const BANG = 33;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class XmlError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

export function parseXml(text: string): ParseResult<XmlElement> {
  if (text.trim() === '') return emptyInput('an XML document');
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  try {
    return parseOk(readDocument(text, lineAt, forwardLines(lineStarts)));
  } catch (error) {
    if (error instanceof XmlError) return failAt(splitLines(text), lineAt(error.offset), error.message) satisfies ParseFailure;
    throw error;
  }
}

/** The line of each offset asked, for offsets that never go back (the nodes, in document order). */
function forwardLines(lineStarts: readonly number[]): (offset: number) => number {
  let line = 0;
  return (offset) => {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return line + 1;
  };
}

function readDocument(text: string, lineAt: (offset: number) => number, nodeLine: (offset: number) => number): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const fail = (offset: number, message: string): never => {
    throw new XmlError(offset, message);
  };
  const skipPast = (terminator: string, what: string) => {
    const end = text.indexOf(terminator, i);
    if (end < 0) fail(i, `${what} is never closed with "${terminator}"`);
    const body = text.slice(i, end);
    i = end + terminator.length;
    return body;
  };
  const readName = (what: string) => {
    const from = i;
    if (!isNameStart(text.charCodeAt(i))) fail(i, `expected ${what} name, found ${JSON.stringify(text.slice(i, i + 10))}`);
    NAME_REST.lastIndex = i + 1;
    NAME_REST.test(text);
    i = NAME_REST.lastIndex;
    return text.slice(from, i);
  };
  const skipSpace = () => {
    while (isSpace(text.charCodeAt(i))) i++;
  };
  const addChild = (node: XmlNode, at: number) => {
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else if (node.kind === 'element') {
      if (root !== null) fail(at, `a second root element <${node.name}>; an XML document has exactly one`);
      root = node;
    } else if (node.text.trim() !== '') fail(at, `text ${JSON.stringify(node.text.trim().slice(0, 30))} outside the root element`);
  };

  while (i < text.length) {
    const start = i;
    const code = text.charCodeAt(i);
    const next = code === LT ? text.charCodeAt(i + 1) : -1;
    if (code !== LT) {
      const end = text.indexOf('<', i);
      const stop = end < 0 ? text.length : end;
      const raw = text.slice(i, stop);
      addChild({ kind: 'text', text: decodeEntities(raw, i, fail), line: nodeLine(start) }, start);
      i = stop;
    } else if (next === 63 /* ? */) {
      i += 2;
      skipPast('?>', 'a processing instruction');
    } else if (next === BANG && text.startsWith('<!--', i)) {
      i += 4;
      skipPast('-->', 'a comment');
    } else if (next === BANG && text.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail(i, 'CDATA outside the root element');
      i += 9;
      addChild({ kind: 'text', text: skipPast(']]>', 'a CDATA section'), line: nodeLine(start) }, start);
    } else if (next === BANG && text.startsWith('<!DOCTYPE', i)) {
      if (root !== null || stack.length > 0) fail(i, 'a DOCTYPE after the root element started');
      i += 9;
      skipDoctype();
    } else if (next === 47 /* / */) {
      i += 2;
      const name = readName('a closing tag');
      skipSpace();
      if (text.charCodeAt(i) !== 62 /* > */) fail(i, `expected ">" to end </${name}`);
      i++;
      const open = stack.pop();
      if (!open) fail(start, `closing tag </${name}> without an opening tag`);
      if (open!.name !== name) fail(start, `closing tag </${name}> does not match <${open!.name}> opened on line ${open!.line}`);
    } else {
      i++;
      const element: XmlElement = { kind: 'element', name: readName('an element'), attributes: {}, children: [], line: nodeLine(start) };
      const attributes: Record<string, string> = {};
      for (;;) {
        const before = i;
        skipSpace();
        if (text.startsWith('/>', i)) {
          i += 2;
          element.attributes = attributes;
          addChild(element, start);
          break;
        }
        if (text[i] === '>') {
          i++;
          element.attributes = attributes;
          addChild(element, start);
          stack.push(element);
          break;
        }
        if (i === before) fail(i, `expected whitespace, ">" or "/>" in <${element.name}>`);
        const attribute = readName('an attribute');
        skipSpace();
        if (text[i] !== '=') fail(i, `attribute ${attribute} of <${element.name}> has no "="`);
        i++;
        skipSpace();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") fail(i, `attribute ${attribute} of <${element.name}> is not quoted`);
        const valueStart = ++i;
        const end = text.indexOf(quote!, i);
        if (end < 0) fail(valueStart, `attribute ${attribute} of <${element.name}> is never closed`);
        const raw = text.slice(valueStart, end);
        if (raw.includes('<')) fail(valueStart, `"<" inside the value of attribute ${attribute}`);
        if (Object.hasOwn(attributes, attribute)) fail(valueStart, `attribute ${attribute} appears twice in <${element.name}>`);
        attributes[attribute] = decodeEntities(raw, valueStart, fail);
        i = end + 1;
      }
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) fail(text.length, `<${unclosed.name}> opened on line ${unclosed.line} is never closed`);
  if (root === null) fail(0, 'no root element');
  return root!;

  function skipDoctype() {
    // the internal subset in [...] may itself contain ">"
    let depth = 0;
    while (i < text.length) {
      const c = text[i++];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth <= 0) return;
    }
    fail(i, 'the DOCTYPE is never closed');
  }
}

function decodeEntities(raw: string, offset: number, fail: (offset: number, message: string) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;\s&<]{0,12});?/g, (whole, name: string, at: number) => {
    if (!whole.endsWith(';')) return fail(offset + at, `"&" that does not start an entity (write &amp;)`);
    if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name]!;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return fail(offset + at, `character reference &${name}; is not a valid character`);
      return String.fromCodePoint(code);
    }
    return fail(offset + at, `unknown entity &${name}; (only &amp; &lt; &gt; &quot; &apos; and &#N; are defined)`);
  });
}

/** The first child element named `name`. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((node): node is XmlElement => node.kind === 'element' && node.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((node): node is XmlElement => node.kind === 'element' && node.name === name);
}

/** The element's text content, trimmed; null when the element is absent. */
export function textOf(element: XmlElement | undefined): string | null {
  if (!element) return null;
  return element.children
    .filter((node): node is XmlText => node.kind === 'text')
    .map((node) => node.text)
    .join('')
    .trim();
}

/** Text at a path of child names, e.g. pathText(gpu, 'fb_memory_usage', 'used'). */
export function pathText(element: XmlElement, ...path: string[]): string | null {
  let current: XmlElement | undefined = element;
  for (const name of path) current = current ? child(current, name) : undefined;
  return textOf(current);
}
