// The publisher's loop: ask the user's own sound server for its playback
// streams (`pactl list sink-inputs`, reached through $XDG_RUNTIME_DIR as any
// program of the session does) and relay the raw result, stamped with the
// boot id and CLOCK_MONOTONIC, into the file the root controller reads. It
// judges nothing: an unreachable server is published as such, so the
// controller can say exactly why the fact is unknown.
import { join } from 'node:path';
import { AUDIO_STATE_FILE, type PublishedAudioState } from '../../schemas/audio-state.ts';
import { describeResult, type RunCommand } from '../exec/command-result.ts';
import { monotonicMs } from '../monotonic.ts';
import { writeJsonAtomic } from '../records/atomic-write.ts';
import { readBootId } from '../records/boot-id.ts';
import type { WriteResult } from '../records/failure.ts';
import { PACTL_ARGS } from '../observe/collect-audio-streams.ts';

export interface PublisherOptions {
  /** the publisher's RuntimeDirectory (/run/dubnium-audio/<uid>) */
  dir: string;
  uid: number;
  intervalMs: number;
  /** bound on one pactl call; below the reader's staleness window */
  pactlTimeoutMs: number;
  run: RunCommand;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

export async function publishOnce(options: PublisherOptions): Promise<WriteResult> {
  const result = await options.run({ tool: 'pactl', args: PACTL_ARGS, timeoutMs: options.pactlTimeoutMs, env: options.env });
  const state: PublishedAudioState = {
    schemaVersion: 1,
    uid: options.uid,
    publisherPid: process.pid,
    bootId: await readBootId(),
    publishedMonoMs: monotonicMs(),
    publishedAt: (options.now ?? (() => new Date()))().toISOString(),
    intervalMs: options.intervalMs,
    pactl: {
      outcome: result.kind,
      description: describeResult(result),
      stdout: result.kind === 'ok' ? result.stdout : '',
      evidence: result.evidence,
    },
  };
  // 0644: the controller is root without CAP_DAC_OVERRIDE, so it reads as "others".
  // Volatile: the unit's RuntimeDirectory (tmpfs), rewritten every interval.
  return writeJsonAtomic(join(options.dir, AUDIO_STATE_FILE), state, 0o644, 'volatile');
}

/** Publishes every intervalMs until the signal aborts; a failed write is reported and retried next round. */
export async function runPublisher(options: PublisherOptions, signal: AbortSignal, report: (line: string) => void): Promise<void> {
  let lastProblem: string | null = null;
  while (!signal.aborted) {
    const written = await publishOnce(options);
    const problem = written.ok ? null : `cannot write ${join(options.dir, AUDIO_STATE_FILE)}: ${written.failure.message}`;
    if (problem !== lastProblem) report(problem ?? `publishing ${join(options.dir, AUDIO_STATE_FILE)} every ${options.intervalMs} ms`);
    lastProblem = problem;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
