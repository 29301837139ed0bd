// Audio realtime fact: the scheduling of every thread of every PipeWire
// daemon (/proc/PID/task/*/stat), and whether rtkit-daemon runs. PipeWire
// asks rtkit (or uses RLIMIT_RTPRIO) to run its data thread SCHED_FIFO/RR;
// without it the graph is scheduled like any other thread and a studio's
// audio crackles under load, whatever weights studio-local gives the slices.
//
// The controller reads this itself rather than through the session user's
// audio-state publisher: the stat files are 0444, and the only thing that
// hides another user's process from mode-controller@.service is its
// ProtectProc=invisible, which CAP_SYS_PTRACE (granted for the GPU holders
// scan) sees through. Read at observation time, the fact needs no freshness
// judgement. Without the capability it is unknown, saying so, never "no
// PipeWire runs".
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioRealtime, AudioServerScheduling, Fact, FactSource, NamedProcess, ThreadScheduling } from '../../schemas/facts.ts';
import { describeError } from '../../shared/describe-error.ts';
import { CAPABILITY_HINT } from './collect-gpu-holders.ts';
import { errorCode, known, unknown, unknownFromParse } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { parseProcCgroup } from './parsers/proc-cgroup.ts';
import { parseProcTaskStat } from './parsers/proc-task-stat.ts';
import { processNames, processRoot } from './process-names.ts';
import type { ParseFailure } from './parsers/parse-result.ts';
import { withDeadline } from './with-deadline.ts';

/** the PipeWire daemon's comm (pipewire-pulse and wireplumber are its clients) */
export const PIPEWIRE_COMMAND = 'pipewire';
export const RTKIT_COMMAND = 'rtkit-daemon';

type Problem = { kind: 'unreadable'; path: string; error: string } | { kind: 'unparseable'; path: string; failure: ParseFailure };

const isGone = (error: unknown) => errorCode(error) === 'ENOENT' || errorCode(error) === 'ESRCH';

export async function collectAudioRealtime(ctx: ObserveContext): Promise<Fact<AudioRealtime>> {
  const root = processRoot(ctx);
  const source: FactSource = { kind: 'file', path: `${root}/*/task/*/stat` };
  return withDeadline(read(root, source, ctx), ctx.timeoutMs, () =>
    unknown('unreadable', `reading ${source.path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()),
  ctx.signal);
}

async function read(root: string, source: FactSource, ctx: ObserveContext): Promise<Fact<AudioRealtime>> {
  const readAt = () => ctx.now().toISOString();
  const names = await processNames(ctx);
  if (!names.ok) return unknown('unreadable', `${names.reason} (PipeWire's among them)`, source, readAt());
  const named = (command: string) => names.processes.filter((p) => p.comm === command).map((p) => p.pid);
  const rtkit: NamedProcess[] = named(RTKIT_COMMAND).map((pid) => ({ pid, name: RTKIT_COMMAND }));
  const servers: AudioServerScheduling[] = [];
  for (const pid of named(PIPEWIRE_COMMAND)) {
    const server = await readServer(root, String(pid));
    if (server === null) continue;
    if ('kind' in server) {
      if (server.kind === 'unparseable') return unknownFromParse(server.failure, { kind: 'file', path: server.path }, readAt(), server.path);
      return unknown('unreadable', `cannot read ${server.path}: ${server.error}; ${CAPABILITY_HINT}`, source, readAt());
    }
    servers.push(server);
  }
  return known({ servers, rtkit }, source, readAt());
}

/** The daemon with every thread's scheduling; null when it exited meanwhile. */
async function readServer(root: string, pid: string): Promise<AudioServerScheduling | Problem | null> {
  const taskDir = join(root, pid, 'task');
  let tids: string[];
  try {
    tids = (await readdir(taskDir)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (error) {
    return isGone(error) ? null : { kind: 'unreadable', path: taskDir, error: describeError(error) };
  }
  const threads: ThreadScheduling[] = [];
  for (const tid of tids) {
    const path = join(taskDir, tid, 'stat');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      // a thread that ended between listing and reading no longer runs
      if (isGone(error)) continue;
      return { kind: 'unreadable', path, error: describeError(error) };
    }
    const parsed = parseProcTaskStat(text);
    if (!parsed.ok) return { kind: 'unparseable', path, failure: parsed };
    threads.push(parsed.value);
  }
  if (threads.length === 0) return null;
  const [cgroupText, owner] = await Promise.all([readFile(join(root, pid, 'cgroup'), 'utf8').catch(() => null), stat(join(root, pid)).catch(() => null)]);
  const placement = cgroupText === null ? null : parseProcCgroup(cgroupText);
  const where = placement?.ok ? placement.value : null;
  return { pid: Number(pid), command: PIPEWIRE_COMMAND, uid: owner?.uid ?? null, unit: where?.unit ?? null, userUnit: where?.userUnit ?? null, threads };
}
