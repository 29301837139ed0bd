// Parses `pactl list sink-inputs` (PulseAudio, or PipeWire's pipewire-pulse):
// one "Sink Input #N" block per playback stream, "Corked: yes|no" for whether
// it is paused, application.name and application.process.id among its properties. The words are
// English only under LC_ALL=C, which the runner forces.
import type { AudioStream } from '../../../schemas/facts.ts';
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export function parsePactlSinkInputs(text: string): ParseResult<AudioStream[]> {
  const lines = splitLines(text);
  const streams: AudioStream[] = [];
  let current: { id: string; application: string | null; pid: number | null; corked: boolean | null; line: number } | null = null;
  const close = () => {
    if (current) streams.push({ id: current.id, application: current.application, pid: current.pid, uid: null, corked: current.corked, running: current.corked === false });
  };
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const header = /^Sink Input #(\d+)$/.exec(line);
    if (header) {
      close();
      current = { id: header[1]!, application: null, pid: null, corked: null, line: i + 1 };
      continue;
    }
    if (!current) return failAt(lines, i + 1, 'expected "Sink Input #N" to start a stream (is this `pactl list sink-inputs` output?)');
    const corked = /^Corked:\s*(yes|no)$/.exec(line);
    if (corked) current.corked = corked[1] === 'yes';
    else if (/^Corked:/.test(line)) return failAt(lines, i + 1, 'expected "Corked: yes" or "Corked: no" (pactl must run with LC_ALL=C)');
    const application = /^application\.name = "(.*)"$/.exec(line);
    if (application) current.application = application[1]!;
    const pid = /^application\.process\.id = "(\d+)"$/.exec(line);
    if (pid) current.pid = Number(pid[1]);
  }
  close();
  return parseOk(streams);
}
