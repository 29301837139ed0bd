// A cgroup v2 tree with user managers and the /run/dubnium-audio files their
// publishers would write, in temporary folders: what the audio-streams
// collector reads (roots.cgroup, roots.run).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicMs } from '../../effects/monotonic.ts';
import { readBootId } from '../../effects/records/boot-id.ts';
import { AUDIO_STATE_FILE, type PublishedAudioState } from '../../schemas/audio-state.ts';

export interface FakeAudioState {
  cgroup: string;
  run: string;
  /** a running user@UID.service in the cgroup tree */
  userManager(uid: number): void;
  /** what that user's publisher wrote: pactl's stdout (ok) or a failure */
  publish(uid: number, pactl: Partial<PublishedAudioState['pactl']>, fields?: Partial<PublishedAudioState>): Promise<string>;
  cleanup(): void;
}

export function fakeAudioState(): FakeAudioState {
  const cgroup = mkdtempSync(join(tmpdir(), 'dubnium-cgroup-'));
  const run = mkdtempSync(join(tmpdir(), 'dubnium-run-'));
  writeFileSync(join(cgroup, 'cgroup.controllers'), 'cpu io memory pids\n');
  return {
    cgroup,
    run,
    userManager(uid) {
      mkdirSync(join(cgroup, 'user.slice', `user-${uid}.slice`, `user@${uid}.service`), { recursive: true });
    },
    async publish(uid, pactl, fields = {}) {
      const dir = join(run, 'dubnium-audio', String(uid));
      mkdirSync(dir, { recursive: true });
      const state: PublishedAudioState = {
        schemaVersion: 1,
        uid,
        publisherPid: process.pid,
        bootId: await readBootId(),
        publishedMonoMs: monotonicMs(),
        publishedAt: new Date().toISOString(),
        intervalMs: 1000,
        pactl: {
          outcome: 'ok',
          description: '`/usr/bin/pactl list sink-inputs` succeeded',
          stdout: '',
          evidence: { argv: ['/usr/bin/pactl', 'list', 'sink-inputs'], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 12 },
          ...pactl,
        },
        ...fields,
      };
      const path = join(dir, AUDIO_STATE_FILE);
      writeFileSync(path, JSON.stringify(state));
      return path;
    },
    cleanup() {
      rmSync(cgroup, { recursive: true, force: true });
      rmSync(run, { recursive: true, force: true });
    },
  };
}
