// Where a command writes, and whether it may use colour there. Commands get
// this instead of touching process.* so that tests and the entry point agree.
import { colorEnabled, paint, type Paint } from './color.ts';
import { isTerminal, writeStd } from './std-write.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** colour decisions for stdout and stderr */
  readonly paint: Paint;
  readonly paintErr: Paint;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadableStream;
  /** true when stdout is a terminal (live progress may redraw lines) */
  readonly interactive: boolean;
}

export function processIo(): Io {
  const env = process.env;
  return {
    out: (text) => writeStd(1, text),
    err: (text) => writeStd(2, text),
    paint: paint(colorEnabled({ isTTY: isTerminal(1) }, env)),
    paintErr: paint(colorEnabled({ isTTY: isTerminal(2) }, env)),
    env,
    // a getter: process.stdin builds a stream (a few ms of Node's start) that only `mode debug parse` reads
    get stdin() {
      return process.stdin;
    },
    interactive: isTerminal(1),
  };
}

/** One JSON document and a newline: what every --json output is. */
export const writeJson = (io: Io, value: unknown): void => io.out(`${JSON.stringify(value, null, 2)}\n`);
