// Whether a published audio state (schemas/audio-state.ts) can be believed,
// and what it says. Pure: the file's text, the reader's boot id, clock and
// whether the publisher's PID is alive come in; streams or an unknown reason
// go out. A missing, foreign, stale or orphaned file is never "no streams".
import type { AudioStream } from '../../schemas/facts.ts';
import { audioStateUnit, PublishedAudioState, staleAfterMs } from '../../schemas/audio-state.ts';
import type { UnknownReasonCode } from '../../schemas/facts.ts';
import { parsePactlSinkInputs } from './parsers/pactl-sink-inputs.ts';

export interface ReaderView {
  uid: number;
  path: string;
  bootId: string | null;
  monoNowMs: number;
  /** the publisher's PID exists in the reader's PID namespace */
  pidAlive: (pid: number) => boolean;
}

export type Judgement =
  | { ok: true; streams: AudioStream[]; publisherPid: number; ageMs: number }
  | { ok: false; code: UnknownReasonCode; reason: string; excerpt?: string[] };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function judgeAudioState(text: string | null, view: ReaderView): Judgement {
  const unit = audioStateUnit(view.uid);
  const check = `check \`systemctl status ${unit}\` (the NixOS module enables it for every user manager)`;
  if (text === null) {
    return { ok: false, code: 'unreadable', reason: `user ${view.uid} has a user manager but no published audio state at ${view.path}; ${check}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'unparseable', reason: `${view.path} is not JSON (written by ${unit})`, excerpt: text.split('\n').slice(0, 4) };
  }
  const parsed = PublishedAudioState.safeParse(json);
  if (!parsed.success) {
    return { ok: false, code: 'unparseable', reason: `${view.path} does not match the published audio state format: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? '?'}; the publisher and the controller must come from the same package` };
  }
  const state = parsed.data;
  if (state.uid !== view.uid) return { ok: false, code: 'unparseable', reason: `${view.path} claims uid ${state.uid}, but it is user ${view.uid}'s folder` };
  if (state.bootId === null || view.bootId === null || state.bootId !== view.bootId) {
    return { ok: false, code: 'not-observed', reason: `${view.path} was published in another boot (${state.bootId ?? 'unknown boot'}); ${check}` };
  }
  const ageMs = view.monoNowMs - state.publishedMonoMs;
  const limit = staleAfterMs(state.intervalMs);
  if (ageMs > limit) {
    return { ok: false, code: 'not-observed', reason: `the audio state of user ${view.uid} is stale: published ${seconds(ageMs)} ago by pid ${state.publisherPid}, every ${state.intervalMs} ms (limit ${seconds(limit)}); ${check}` };
  }
  if (!view.pidAlive(state.publisherPid)) {
    return { ok: false, code: 'not-observed', reason: `the publisher of ${view.path} (pid ${state.publisherPid}) is gone; ${check}` };
  }
  const by = `published by ${unit} (pid ${state.publisherPid}) ${seconds(Math.max(0, ageMs))} ago`;
  const { pactl } = state;
  if (pactl.outcome !== 'ok') {
    const code: UnknownReasonCode = pactl.outcome === 'missing-tool' ? 'tool-missing' : pactl.outcome === 'timed-out' ? 'tool-timeout' : 'tool-failed';
    const excerpt = [...pactl.evidence.stderr, ...pactl.evidence.stdout].slice(0, 8);
    return {
      ok: false,
      code,
      reason: `the sound server of user ${view.uid} is unreachable: ${pactl.description} (${by}); is pipewire-pulse.socket (or pulseaudio.socket) running in user@${view.uid}.service? As that user: \`systemctl --user status pipewire-pulse.socket pipewire.service\``,
      ...(excerpt.length > 0 ? { excerpt } : {}),
    };
  }
  const streams = parsePactlSinkInputs(pactl.stdout);
  if (!streams.ok) return { ok: false, code: 'unparseable', reason: `could not read the pactl list sink-inputs output ${by}: ${streams.message}`, excerpt: streams.excerpt };
  return { ok: true, streams: streams.value.map((s) => ({ ...s, uid: view.uid })), publisherPid: state.publisherPid, ageMs };
}
