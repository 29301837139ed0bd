// studio-local's audio-realtime guard: does every PipeWire daemon run a
// thread SCHED_FIFO or SCHED_RR? PipeWire's data thread gets realtime from
// rtkit, or itself through RLIMIT_RTPRIO; without it the audio
// graph competes like any other thread, and the overlay's slice weights
// cannot make up for that. Soft: the switch still goes ahead, the report says
// which thread is not realtime and what grants it. Every daemon, not some:
// a greeter's PipeWire with realtime must not hide the user's without.
import type { AudioServerScheduling, Facts, ThreadScheduling } from '../schemas/facts.ts';
import { conflict, fine, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';

const isRealtime = (t: ThreadScheduling): boolean => t.policy === 'SCHED_FIFO' || t.policy === 'SCHED_RR';

export const describeThread = (t: ThreadScheduling): string => `${t.name} (tid ${t.tid}) ${t.policy}${isRealtime(t) ? ` priority ${t.rtPriority}` : ''}`;

export const describeServer = (s: AudioServerScheduling): string =>
  `pipewire pid ${s.pid}${s.uid === null ? '' : ` user ${s.uid}`}${s.userUnit === null ? (s.unit === null ? '' : ` in ${s.unit}`) : ` in ${s.userUnit}`}`;

const serverLine = (s: AudioServerScheduling): string => `${describeServer(s)}: ${s.threads.map(describeThread).join(', ')}`;

export function audioRealtime(facts: Facts): Check {
  const fact = facts.audioRealtime;
  if (fact.status === 'unknown') return missingFact(unknownFactReason(fact, 'audioRealtime'));
  const { servers, rtkit } = fact.value;
  const rtkitLine = rtkit.length === 0 ? 'rtkit-daemon is not running' : `rtkit-daemon runs (pid ${rtkit.map((p) => p.pid).join(', ')})`;
  const evidence = [evidenceOf(fact, 'audioRealtime', [...servers.map(serverLine), rtkitLine])];
  if (servers.length === 0) {
    return conflict(reason('audio-realtime', 'no PipeWire daemon (a process named pipewire) runs, so no audio graph is scheduled realtime', ['audioRealtime', 'servers'], evidence));
  }
  const without = servers.filter((s) => !s.threads.some(isRealtime));
  if (without.length === 0) return fine(evidence);
  const grant =
    rtkit.length === 0
      ? 'rtkit-daemon is not running: start rtkit-daemon.service (PipeWire asks it over D-Bus), or give the user RLIMIT_RTPRIO (limits.conf, the audio group)'
      : `rtkit-daemon runs (pid ${rtkit.map((p) => p.pid).join(', ')}) but did not grant it: see its journal (\`journalctl -u rtkit-daemon\`) and PipeWire's libpipewire-module-rt settings`;
  return conflict(
    reason(
      'audio-realtime',
      `${without.map((s) => `no thread of ${describeServer(s)} runs SCHED_FIFO or SCHED_RR (${s.threads.map(describeThread).join(', ')})`).join('; ')}; ${grant}`,
      ['audioRealtime', 'servers'],
      evidence,
    ),
  );
}

/** What the guard says when it passes: the realtime threads, by daemon. */
export function realtimeThreadsLine(facts: Facts): string {
  const fact = facts.audioRealtime;
  if (fact.status === 'unknown') return "PipeWire's data thread runs realtime";
  return fact.value.servers.map((s) => `${describeServer(s)} runs ${s.threads.filter(isRealtime).map(describeThread).join(', ')}`).join('; ');
}
