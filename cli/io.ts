// Where a command writes, and whether it may use colour there. Commands get
// this instead of touching process.* so that tests and the entry point agree.
import { colorEnabled, paint, type Paint } from './color.ts';

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
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    paint: paint(colorEnabled(process.stdout, env)),
    paintErr: paint(colorEnabled(process.stderr, env)),
    env,
    // a getter: process.stdin builds a stream (a few ms of Node's start) that only `mode debug parse` reads
    get stdin() {
      return process.stdin;
    },
    interactive: process.stdout.isTTY === true,
  };
}

/** One JSON document and a newline: what every --json output is. */
export const writeJson = (io: Io, value: unknown): void => io.out(`${JSON.stringify(value, null, 2)}\n`);
