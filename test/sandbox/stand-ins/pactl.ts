// Fake pactl for the sandbox, first on the controller's PATH: there is no
// sound server here. It answers `pactl list sink-inputs` with the streams a
// test sets (world/audio-streams.json), in the real text format (see
// ../templates/README.md). Bundled and run with node --jitless, like the fake
// nvidia-smi, because it runs under the controller's MemoryDenyWriteExecute.
import { readFileSync } from 'node:fs';
import { CONTROL_FILES, type AudioStreamControl } from './control.ts';
import { renderSinkInputs } from './pactl-render.ts';

const here = new URL('.', import.meta.url);
const argv = process.argv.slice(2);
if (argv.join(' ') !== 'list sink-inputs') {
  process.stderr.write(`fake pactl (sandbox): "${argv.join(' ')}" is not a form it answers; use: pactl list sink-inputs\n`);
  process.exit(1);
}
let text = '[]';
try {
  text = readFileSync(new URL(`../world/${CONTROL_FILES.audioStreams}`, here), 'utf8');
} catch {
  // no control file: no stream
}
const streams = JSON.parse(text) as AudioStreamControl[];
process.stdout.write(renderSinkInputs(readFileSync(new URL('pactl-template.txt', here), 'utf8'), streams));
