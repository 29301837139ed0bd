// Writing to stdout and stderr without building Node's process.stdout and
// process.stderr: each of those loads Node's streams (and, for a pipe, net),
// about 2.5 ms of a cold `mode status` whose output goes to a pipe. A write
// to a pipe, a file or a terminal is synchronous on Linux either way, so the
// order of lines is the same. Only a descriptor someone made non-blocking can
// refuse (EAGAIN): from then on that descriptor's text goes through Node's
// stream, which waits for room, so nothing is lost or reordered.
import { fstatSync, writeSync } from 'node:fs';

type Fd = 1 | 2;
const nodeStream = (fd: Fd): NodeJS.WriteStream => (fd === 1 ? process.stdout : process.stderr);
const handedToNode = new Set<Fd>();

/** A closed pipe (`mode history | head`) is not an error worth a stack: stop, with the exit already decided. */
const readerGone = (): never => process.exit(process.exitCode ?? 0);

function viaNode(fd: Fd, data: Uint8Array | string): void {
  const stream = nodeStream(fd);
  if (!handedToNode.has(fd)) {
    handedToNode.add(fd);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') readerGone();
      throw error;
    });
  }
  stream.write(data);
}

export function writeStd(fd: Fd, text: string): void {
  if (handedToNode.has(fd)) return viaNode(fd, text);
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return viaNode(fd, rest);
      if (code === 'EPIPE') readerGone();
      throw error;
    }
  }
}

/**
 * isatty(fd) without building the stream: only a character device can be a terminal. /dev/null
 * is one too, so for a character device Node's stream is asked (a terminal's few ms do not show).
 */
export function isTerminal(fd: Fd): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return nodeStream(fd).isTTY === true;
}
