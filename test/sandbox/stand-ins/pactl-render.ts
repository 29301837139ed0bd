// Pure rendering for the fake pactl: each stream is the real capture's block
// with its number, Corked: and application.name replaced.
import type { AudioStreamControl } from './control.ts';

const FIRST_ID = 64;

function replaceLine(block: string, pattern: RegExp, line: string): string {
  if (!pattern.test(block)) throw new Error(`the pactl template has no line matching ${String(pattern)}`);
  return block.replace(pattern, () => line);
}

export function renderSinkInputs(template: string, streams: readonly AudioStreamControl[]): string {
  return streams
    .map((stream, i) => {
      let block = replaceLine(template, /^Sink Input #\d+$/m, `Sink Input #${FIRST_ID + i}`);
      block = replaceLine(block, /^\tCorked: (yes|no)$/m, `\tCorked: ${stream.corked ? 'yes' : 'no'}`);
      const name = stream.application.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      return replaceLine(block, /^\t\tapplication\.name = ".*"$/m, `\t\tapplication.name = "${name}"`);
    })
    .map((block) => (block.endsWith('\n') ? block : `${block}\n`))
    .join('\n');
}
