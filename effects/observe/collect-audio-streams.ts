// Audio streams fact: PulseAudio/PipeWire playback streams from `pactl list
// sink-inputs` (text form: it exists in every pactl, while `-f json` needs
// PulseAudio 16). pactl talks to the user's sound server; a controller
// running as root reaches it only when PULSE_SERVER points at that socket.
import type { AudioStream, Fact } from '../../schemas/facts.ts';
import { commandSource, known, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { runTool, type ObserveContext } from './observe-context.ts';
import { parsePactlSinkInputs } from './parsers/pactl-sink-inputs.ts';

export const PACTL_ARGS = ['list', 'sink-inputs'] as const;

export async function collectAudioStreams(ctx: ObserveContext): Promise<Fact<AudioStream[]>> {
  const result = await runTool(ctx, 'pactl', PACTL_ARGS);
  const readAt = ctx.now().toISOString();
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt);
  const streams = parsePactlSinkInputs(result.stdout);
  if (!streams.ok) return unknownFromParse(streams, commandSource(result), readAt, 'the output of pactl list sink-inputs');
  return known(streams.value, commandSource(result), readAt);
}
