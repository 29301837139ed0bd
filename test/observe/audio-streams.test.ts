// The audio-streams fact from the published states of the session users'
// publishers: believed only when fresh, of this boot, from a live publisher
// and of the right user; every other case is unknown with a reason that says
// what to check, never "no streams".
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectAudioStreams } from '../../effects/observe/collect-audio-streams.ts';
import { judgeAudioState } from '../../effects/observe/judge-audio-state.ts';
import { runReadOnly } from '../../effects/exec/run-read-only.ts';
import { fakeAudioState, type FakeAudioState } from './fake-audio-state.ts';
import { real } from './fixtures.ts';
import { testConfig } from './test-config.ts';

const PLAYING = real('i_pactl/sandbox-pipewire-0.3.65-paplay-playing.txt');
const REFUSED = real('i_pactl/sandbox-pipewire-0.3.65-server-stopped.stderr.txt');

describe('collectAudioStreams', () => {
  let audio: FakeAudioState;
  beforeEach(() => {
    audio = fakeAudioState();
  });
  afterEach(() => audio.cleanup());
  const collect = () =>
    collectAudioStreams({ config: testConfig(), run: runReadOnly, now: () => new Date(), roots: { proc: '/proc', sys: '/sys', cgroup: audio.cgroup, run: audio.run }, timeoutMs: 1000 });

  it('is no streams, known, when no user manager runs (nobody can play through a per-user server)', async () => {
    expect(await collect()).toMatchObject({ status: 'known', value: [], source: { kind: 'file', path: join(audio.cgroup, 'user.slice') } });
  });

  it("lists each user's streams with the user and the player's PID", async () => {
    audio.userManager(4242);
    audio.userManager(1000);
    await audio.publish(4242, { stdout: PLAYING });
    await audio.publish(1000, { stdout: '' });
    const fact = await collect();
    expect(fact).toMatchObject({ status: 'known', value: [{ id: '43', application: 'paplay', pid: 59, uid: 4242, corked: false, running: true }] });
  });

  it('is unknown when a user manager runs without a published state, naming the unit', async () => {
    audio.userManager(4242);
    const fact = await collect();
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    expect(fact.status === 'unknown' && fact.reason).toContain('user 4242 has a user manager but no published audio state');
  });

  it('is unknown, with pactl\'s words, when the sound server is unreachable', async () => {
    audio.userManager(4242);
    await audio.publish(4242, {
      outcome: 'failed',
      description: '`/usr/bin/pactl list sink-inputs` exited with status 1: Connection failure: Connection refused',
      evidence: { argv: ['/usr/bin/pactl', 'list', 'sink-inputs'], exitCode: 1, signal: null, timedOut: false, stdout: [], stderr: REFUSED.trim().split('\n'), durationMs: 3 },
    });
    const fact = await collect();
    expect(fact).toMatchObject({ status: 'unknown', code: 'tool-failed', excerpt: ['Connection failure: Connection refused', 'pa_context_connect() failed: Connection refused'] });
    expect(fact.status === 'unknown' && fact.reason).toMatch(/^the sound server of user 4242 is unreachable: `\/usr\/bin\/pactl list sink-inputs` exited with status 1: Connection failure: Connection refused \(published by dubnium-audio-state@4242\.service \(pid \d+\) \d+\.\d s ago\); is pipewire-pulse\.socket/);
  });

  it('is unknown when cgroup v2 is not mounted where it looks', async () => {
    rmSync(join(audio.cgroup, 'cgroup.controllers'));
    const fact = await collect();
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    expect(fact.status === 'unknown' && fact.reason).toContain('is not a cgroup v2 mount');
  });
});

/** a judgement that must have failed, for its code and reason */
function failure(judged: ReturnType<typeof judgeAudioState>): Extract<ReturnType<typeof judgeAudioState>, { ok: false }> {
  if (judged.ok) throw new Error(`expected the state to be refused, got ${JSON.stringify(judged)}`);
  return judged;
}

describe('judgeAudioState', () => {
  const view = (over: Partial<Parameters<typeof judgeAudioState>[1]> = {}) => ({ uid: 4242, path: '/run/dubnium-audio/4242/state.json', bootId: 'b', monoNowMs: 100_000, pidAlive: () => true, ...over });
  const state = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      schemaVersion: 1, uid: 4242, publisherPid: 77, bootId: 'b', publishedMonoMs: 99_000, publishedAt: '2026-12-02T18:00:00.000Z', intervalMs: 1000,
      pactl: { outcome: 'ok', description: 'ok', stdout: PLAYING, evidence: { argv: ['pactl'], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 1 } },
      ...over,
    });

  it('believes a fresh state of this boot from a live publisher', () => {
    expect(judgeAudioState(state(), view())).toMatchObject({ ok: true, publisherPid: 77, ageMs: 1000, streams: [{ application: 'paplay', uid: 4242 }] });
  });
  it('refuses a state older than three intervals plus one pactl timeout', () => {
    expect(judgeAudioState(state({ publishedMonoMs: 100_000 - 8_000 }), view())).toMatchObject({ ok: true });
    expect(failure(judgeAudioState(state({ publishedMonoMs: 100_000 - 8_001 }), view()))).toMatchObject({ code: 'not-observed', });
    expect(failure(judgeAudioState(state({ publishedMonoMs: 100_000 - 8_001 }), view())).reason).toMatch(/is stale: published 8\.0 s ago by pid 77, every 1000 ms \(limit 8\.0 s\)/);
  });
  it('refuses a state of another boot, of a gone publisher, or claiming another uid', () => {
    expect(failure(judgeAudioState(state({ bootId: 'other' }), view()))).toMatchObject({ });
    expect(failure(judgeAudioState(state({ bootId: 'other' }), view())).reason).toContain('another boot');
    expect(failure(judgeAudioState(state(), view({ pidAlive: () => false })))).toMatchObject({ });
    expect(failure(judgeAudioState(state(), view({ pidAlive: () => false }))).reason).toContain('(pid 77) is gone');
    expect(failure(judgeAudioState(state({ uid: 1000 }), view()))).toMatchObject({ });
    expect(failure(judgeAudioState(state({ uid: 1000 }), view())).reason).toContain("claims uid 1000, but it is user 4242's folder");
  });
  it('refuses garbage, a wrong format and an unparseable pactl output with their reasons', () => {
    expect(judgeAudioState('{"torn', view())).toMatchObject({ ok: false, code: 'unparseable' });
    expect(failure(judgeAudioState(JSON.stringify({ schemaVersion: 2 }), view()))).toMatchObject({ code: 'unparseable', });
    expect(failure(judgeAudioState(JSON.stringify({ schemaVersion: 2 }), view())).reason).toContain('does not match the published audio state format');
    expect(judgeAudioState(state({ pactl: { outcome: 'ok', description: 'ok', stdout: 'MemTotal: 1 kB\n', evidence: { argv: ['pactl'], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 1 } } }), view())).toMatchObject({ ok: false, code: 'unparseable', excerpt: ['1: MemTotal: 1 kB'] });
  });
});
