// studio-local's soft audio-realtime guard: passes only when every PipeWire
// daemon runs a SCHED_FIFO/SCHED_RR thread, warns naming each daemon (and
// its threads) that does not, and over an unknown fact warns with the
// observer's reason. Soft, always: it never blocks the switch.
import { test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { audioRealtime, realtimeThreadsLine } from '../../../predicates/audio-realtime.ts';
import { decide } from '../../../predicates/decide.ts';
import type { AudioRealtime, AudioServerScheduling, Facts } from '../../../schemas/facts.ts';
import type { GuardVerdict } from '../../../schemas/records.ts';
import { REALTIME_PIPEWIRE } from '../../../simulation/audio-realtime.ts';
import { factsArb } from '../support/arbitraries.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor, known, unknown } from '../support/facts.ts';

const desktop = factsFor('desktop', config);
const studioGuard = (facts: Facts): GuardVerdict => {
  const v = decide('studio-local', facts, config).guards.verdicts.find((x) => x.code === 'audio-realtime');
  if (!v) throw new Error('studio-local has no audio-realtime verdict');
  return v;
};
const withRealtime = (value: AudioRealtime): Facts => ({ ...desktop, audioRealtime: known(value, 'proc-task-stat') });
const server = REALTIME_PIPEWIRE.servers[0]!;
const demoted: AudioServerScheduling = { ...server, threads: server.threads.map((t) => ({ ...t, policy: 'SCHED_OTHER' as const, rtPriority: 0 })) };

describe('audio-realtime (studio-local, soft)', () => {
  it("passes naming the data thread when PipeWire's data thread runs SCHED_RR", () => {
    const v = studioGuard(desktop);
    expect(v).toMatchObject({ severity: 'soft', passed: true, missingFact: null });
    expect(v.message).toBe('pipewire pid 1510 user 1000 in pipewire.service runs pipewire (tid 1545) SCHED_RR priority 20');
    expect(v.evidence[0]?.lines).toEqual([
      'pipewire pid 1510 user 1000 in pipewire.service: pipewire (tid 1510) SCHED_OTHER, pipewire (tid 1545) SCHED_RR priority 20',
      'rtkit-daemon runs (pid 900)',
    ]);
    expect(decide('studio-local', desktop, config).guards.verdict).toBe('pass');
  });

  it('warns naming every thread of a daemon without realtime, and says rtkit runs but did not grant it', () => {
    const v = studioGuard(withRealtime({ ...REALTIME_PIPEWIRE, servers: [demoted] }));
    expect(v).toMatchObject({ severity: 'soft', passed: false, missingFact: null });
    expect(v.message).toMatch(/^no thread of pipewire pid 1510 user 1000 in pipewire\.service runs SCHED_FIFO or SCHED_RR \(pipewire \(tid 1510\) SCHED_OTHER, pipewire \(tid 1545\) SCHED_OTHER\); rtkit-daemon runs \(pid 900\) but did not grant it/);
    const report = decide('studio-local', withRealtime({ ...REALTIME_PIPEWIRE, servers: [demoted] }), config).guards;
    expect(report.verdict).toBe('soft-only');
  });

  it('says what grants realtime when rtkit does not run, and warns when no PipeWire runs at all', () => {
    expect(studioGuard(withRealtime({ servers: [demoted], rtkit: [] })).message).toContain('rtkit-daemon is not running: start rtkit-daemon.service');
    expect(studioGuard(withRealtime({ servers: [], rtkit: [] }))).toMatchObject({ passed: false, message: 'no PipeWire daemon (a process named pipewire) runs, so no audio graph is scheduled realtime' });
  });

  it("is not hidden by another daemon's realtime: a greeter's PipeWire with it, the user's without", () => {
    const greeter = { ...server, pid: 700, uid: 120 };
    const v = studioGuard(withRealtime({ ...REALTIME_PIPEWIRE, servers: [greeter, demoted] }));
    expect(v.passed).toBe(false);
    expect(v.message).toContain('pipewire pid 1510 user 1000');
    expect(v.message).not.toContain('pid 700');
  });

  it("over an unknown fact warns with the observer's reason and names the fact", () => {
    const v = studioGuard({ ...desktop, audioRealtime: unknown('proc-task-stat') });
    expect(v).toMatchObject({ severity: 'soft', passed: false, missingFact: 'audioRealtime' });
    expect(v.message).toBe('fails closed: the fact audioRealtime could not be read (tool-failed: proc-task-stat failed in the test)');
  });

  it('is no guard of desktop or compute', () => {
    for (const target of ['desktop', 'compute'] as const) expect(decide(target, desktop, config).guards.verdicts.map((v) => v.code)).not.toContain('audio-realtime');
  });

  fcTest.prop([factsArb(config)])('on any facts: soft, passes exactly when every PipeWire daemon has a FIFO/RR thread, never blocks on its own', (facts) => {
    const v = studioGuard(facts);
    expect(v.severity).toBe('soft');
    const fact = facts.audioRealtime;
    const expected = fact.status === 'known' && fact.value.servers.length > 0 && fact.value.servers.every((s) => s.threads.some((t) => t.policy === 'SCHED_FIFO' || t.policy === 'SCHED_RR'));
    expect(v.passed).toBe(expected);
    expect(v.missingFact).toBe(fact.status === 'unknown' ? 'audioRealtime' : null);
    // the check and the verdict agree, and a failing verdict names at least one pid of a daemon without realtime
    const check = audioRealtime(facts);
    expect(check.conflicts.length + check.missing.length === 0).toBe(expected);
    if (fact.status === 'known' && !expected && fact.value.servers.length > 0) {
      const without = fact.value.servers.filter((s) => !s.threads.some((t) => t.policy === 'SCHED_FIFO' || t.policy === 'SCHED_RR'));
      for (const s of without) expect(v.message).toContain(`pipewire pid ${s.pid}`);
    }
    // it alone never makes the report a hard block
    const others = decide('studio-local', { ...facts, audioRealtime: known(REALTIME_PIPEWIRE) }, config).guards;
    if (others.verdict !== 'hard-block') expect(decide('studio-local', facts, config).guards.verdict).not.toBe('hard-block');
  });
});

describe('audio-realtime, word for word', () => {
  const words = (facts: Facts) => {
    const check = audioRealtime(facts);
    return { reasons: [...check.conflicts, ...check.missing].map((r) => [r.code, r.message, r.path.join('.')]), evidence: check.evidence.map((e) => [e.fact, ...e.lines]) };
  };
  const fifo = { ...server, pid: 2000, uid: null, unit: 'pipewire-system.service', userUnit: null, threads: [{ ...server.threads[0]!, policy: 'SCHED_FIFO' as const, rtPriority: 88 }] };
  const bare = { ...demoted, pid: 2100, uid: 1001, unit: null, userUnit: null };
  it('each server, each thread and rtkit, in the evidence and the reason', () => {
    expect(words(withRealtime({ servers: [fifo, demoted, bare], rtkit: [{ pid: 900, name: 'rtkit-daemon' }, { pid: 901, name: 'rtkit-daemon' }] }))).toMatchSnapshot();
    expect(words(withRealtime({ servers: [demoted], rtkit: [] }))).toMatchSnapshot();
    expect(words(withRealtime({ servers: [], rtkit: [] }))).toMatchSnapshot();
    expect(words(withRealtime({ servers: [fifo], rtkit: [] }))).toMatchSnapshot();
    expect(words({ ...desktop, audioRealtime: unknown('proc-task-stat') })).toMatchSnapshot();
  });
  it('the line a passing guard shows, and the one it shows without the fact', () => {
    expect(realtimeThreadsLine(withRealtime({ servers: [fifo, server], rtkit: [] }))).toMatchSnapshot();
    expect(realtimeThreadsLine({ ...desktop, audioRealtime: unknown('proc-task-stat') })).toBe("PipeWire's data thread runs realtime");
  });
});
