// Audio streams fact: the playback streams of every session user's sound
// server (PipeWire's pipewire-pulse, or PulseAudio). The controller cannot ask
// those servers itself (ProtectHome=yes hides /run/user; no capability to enter
// a 0700 folder), so each user's dubnium-audio-state@UID.service relays
// `pactl list sink-inputs` into /run/dubnium-audio/UID/state.json, and this
// collector reads one such file for every running user manager, judging each
// fresh or not (judge-audio-state.ts). Any user without a believable file
// makes the whole fact unknown: the audio guard fails closed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIO_STATE_FILE, AUDIO_STATE_ROOT } from '../../schemas/audio-state.ts';
import type { AudioStream, Fact } from '../../schemas/facts.ts';
import { monotonicMs } from '../monotonic.ts';
import { readBootId } from '../records/boot-id.ts';
import { known, unknown } from './fact-builders.ts';
import { judgeAudioState } from './judge-audio-state.ts';
import type { ObserveContext } from './observe-context.ts';
import { listUserManagers } from './user-managers.ts';

/** what each publisher runs as its user (effects/audio-state/publish.ts) */
export const PACTL_ARGS = ['list', 'sink-inputs'] as const;

/** /proc/<pid> exists: readable for every user's process under ProtectProc=default, and in the PID namespace of `pids` (outside the sandbox: its /proc). */
export function pidAliveIn(pids: string): (pid: number) => boolean {
  return (pid) => existsSync(join(pids, String(pid)));
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function collectAudioStreams(ctx: ObserveContext): Promise<Fact<AudioStream[]>> {
  const readAt = ctx.now().toISOString();
  const managers = listUserManagers(ctx.roots.cgroup ?? join(ctx.roots.sys, 'fs', 'cgroup'));
  if (!managers.ok) return unknown('unreadable', managers.reason, { kind: 'file', path: managers.path }, readAt);
  const stateRoot = join(ctx.roots.run ?? '/run', AUDIO_STATE_ROOT.slice('/run/'.length));
  if (managers.uids.length === 0) return known([], { kind: 'file', path: managers.path }, readAt);
  const bootId = await readBootId();
  const streams: AudioStream[] = [];
  for (const uid of managers.uids) {
    const path = join(stateRoot, String(uid), AUDIO_STATE_FILE);
    const judged = judgeAudioState(await readText(path), { uid, path, bootId, monoNowMs: monotonicMs(), pidAlive: pidAliveIn(ctx.roots.pids ?? '/proc') });
    if (!judged.ok) return unknown(judged.code, judged.reason, { kind: 'file', path }, readAt, judged.excerpt);
    streams.push(...judged.streams);
  }
  const first = join(stateRoot, String(managers.uids[0]), AUDIO_STATE_FILE);
  return known(streams, { kind: 'file', path: managers.uids.length === 1 ? first : `${stateRoot}/{${managers.uids.join(',')}}/${AUDIO_STATE_FILE}` }, readAt);
}
