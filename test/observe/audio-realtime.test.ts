// The audio realtime fact: /proc/PID/task/TID/stat lines parsed as proc(5)
// counts them (after the LAST ')'), checked on real lines captured from the
// sandbox's PipeWire and rtkit (test/fixtures/real-outputs/m_proc_task_stat,
// README there), and the collector on a fake /proc built from those lines.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectAudioRealtime } from '../../effects/observe/collect-audio-realtime.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import { parseProcTaskStat } from '../../effects/observe/parsers/proc-task-stat.ts';
import { real } from './fixtures.ts';
import { testConfig } from './test-config.ts';

const lines = (capture: string): string[] => real(`m_proc_task_stat/${capture}`).split('\n').filter((l) => l !== '');
const RR20 = lines('debian12-pipewire-0.3.65-rtkit-data-thread-rr20.txt');
const AFTER_CHRT = lines('debian12-pipewire-0.3.65-data-thread-after-chrt-other.txt');
const RTKIT = lines('debian12-rtkit-0.13-watchdog-rr99.txt');
const SD_PAM = lines('debian12-systemd-252-sd-pam-comm-in-parens.txt');

describe('parseProcTaskStat on real lines', () => {
  it("reads PipeWire's data thread as SCHED_RR 20 and its main thread as SCHED_OTHER, both named pipewire", () => {
    expect(RR20.map((l) => parseProcTaskStat(`${l}\n`))).toEqual([
      { ok: true, value: { tid: 29, name: 'pipewire', policy: 'SCHED_OTHER', rtPriority: 0 } },
      { ok: true, value: { tid: 64, name: 'pipewire', policy: 'SCHED_RR', rtPriority: 20 } },
    ]);
  });

  it('reads the data thread after chrt -o as SCHED_OTHER 0', () => {
    expect(parseProcTaskStat(AFTER_CHRT[1]!)).toEqual({ ok: true, value: { tid: 64, name: 'pipewire', policy: 'SCHED_OTHER', rtPriority: 0 } });
  });

  it("reads rtkit's watchdog as SCHED_RR 99", () => {
    expect(RTKIT.map((l) => parseProcTaskStat(l)).map((r) => r.ok && [r.value.tid, r.value.policy, r.value.rtPriority])).toEqual([
      [37, 'SCHED_OTHER', 0],
      [39, 'SCHED_OTHER', 0],
      [40, 'SCHED_RR', 99],
    ]);
  });

  it('counts the fields from the last parenthesis: a comm in parentheses, or with spaces and a ")" of its own', () => {
    expect(parseProcTaskStat(SD_PAM[0]!)).toEqual({ ok: true, value: { tid: 16, name: '(sd-pam)', policy: 'SCHED_OTHER', rtPriority: 0 } });
    // a thread may name itself anything up to 15 bytes (prctl PR_SET_NAME): the data thread's real line with such a name
    const odd = RR20[1]!.replace('(pipewire)', '(a) b (c 2 20)');
    expect(parseProcTaskStat(odd)).toEqual({ ok: true, value: { tid: 64, name: 'a) b (c 2 20', policy: 'SCHED_RR', rtPriority: 20 } });
  });

  it('refuses what is not one stat line, naming the field', () => {
    expect(parseProcTaskStat('')).toMatchObject({ ok: false });
    expect(parseProcTaskStat(`${RR20[0]!}\n${RR20[1]!}\n`)).toMatchObject({ ok: false, message: expect.stringContaining('one line') as unknown });
    expect(parseProcTaskStat('pipewire S 15')).toMatchObject({ ok: false, message: expect.stringContaining('TID (comm)') as unknown });
    expect(parseProcTaskStat(RR20[1]!.split(' ').slice(0, 30).join(' '))).toMatchObject({ ok: false, message: expect.stringContaining('fields 40 and 41') as unknown });
    const fields = RR20[1]!.split(' ');
    expect(parseProcTaskStat([...fields.slice(0, 40), '9', ...fields.slice(41)].join(' '))).toMatchObject({ ok: false, message: expect.stringContaining('policy (field 41) is 9') as unknown });
    expect(parseProcTaskStat([...fields.slice(0, 39), '120', ...fields.slice(40)].join(' '))).toMatchObject({ ok: false, message: expect.stringContaining('rt_priority (field 40) is 120') as unknown });
  });
});

describe('collectAudioRealtime', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  /** a /proc whose processes have comm, cgroup and task/TID/stat files, the stat lines real ones */
  function fakeProc(processes: { pid: number; comm: string; cgroup?: string; stats: string[] }[]): string {
    const root = mkdtempSync(join(tmpdir(), 'dubnium-audio-realtime-'));
    folders.push(root);
    for (const p of processes) {
      writeFile(root, `${p.pid}/comm`, `${p.comm}\n`);
      if (p.cgroup !== undefined) writeFile(root, `${p.pid}/cgroup`, p.cgroup);
      for (const stat of p.stats) writeFile(root, `${p.pid}/task/${stat.split(' ')[0]!}/stat`, `${stat}\n`);
    }
    return root;
  }
  const writeFile = (root: string, path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const collect = (pids: string) => collectAudioRealtime(observeContext(testConfig(), { roots: { pids }, timeoutMs: 5_000 }));
  const PIPEWIRE_CGROUP = '0::/user.slice/user-4242.slice/user@4242.service/session.slice/pipewire.service\n';

  it("lists every thread of the PipeWire daemon with its scheduling, where it runs, and rtkit; not pipewire-pulse's", async () => {
    const root = fakeProc([
      { pid: 29, comm: 'pipewire', cgroup: PIPEWIRE_CGROUP, stats: RR20 },
      { pid: 32, comm: 'pipewire-pulse', stats: [RR20[0]!.replace(/^29 \(pipewire\)/, '32 (pipewire-pulse)')] },
      { pid: 37, comm: 'rtkit-daemon', stats: RTKIT },
      { pid: 16, comm: '(sd-pam)', stats: SD_PAM },
    ]);
    const fact = await collect(root);
    expect(fact).toMatchObject({ status: 'known', source: { kind: 'file', path: `${root}/*/task/*/stat` } });
    expect(fact.status === 'known' && fact.value).toEqual({
      servers: [
        {
          pid: 29,
          command: 'pipewire',
          uid: process.getuid!(),
          unit: 'user@4242.service',
          userUnit: 'pipewire.service',
          threads: [
            { tid: 29, name: 'pipewire', policy: 'SCHED_OTHER', rtPriority: 0 },
            { tid: 64, name: 'pipewire', policy: 'SCHED_RR', rtPriority: 20 },
          ],
        },
      ],
      rtkit: [{ pid: 37, name: 'rtkit-daemon' }],
    });
  });

  it('is known and empty when no PipeWire runs, and skips a daemon that exited while it was read', async () => {
    const root = fakeProc([{ pid: 16, comm: '(sd-pam)', stats: SD_PAM }]);
    // a numbered folder with a comm but no task/ is what a process that just exited leaves behind
    writeFile(root, '77/comm', 'pipewire\n');
    expect(await collect(root)).toMatchObject({ status: 'known', value: { servers: [], rtkit: [] } });
  });

  it('is unknown with the line and the file when a stat line cannot be read', async () => {
    const root = fakeProc([{ pid: 29, comm: 'pipewire', stats: [RR20[0]!, RR20[1]!.split(' ').slice(0, 20).join(' ')] }]);
    const fact = await collect(root);
    expect(fact).toMatchObject({ status: 'unknown', code: 'unparseable', source: { kind: 'file', path: `${root}/29/task/64/stat` } });
    expect(fact.status === 'unknown' && fact.reason).toContain('fields 40 and 41');
  });

  it('is unknown, naming CAP_SYS_PTRACE, when /proc hides other users (hidepid=invisible) and the reader lacks the capability', async () => {
    const root = fakeProc([{ pid: 29, comm: 'pipewire', stats: RR20 }]);
    // what the controller's unit would see without its capability: ProtectProc=invisible mounts /proc with hidepid=invisible
    writeFile(root, 'self/mountinfo', `24 1 0:22 / ${root} rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw,hidepid=invisible\n`);
    writeFile(root, 'self/status', 'Name:\tnode\nCapEff:\t0000000000000000\n');
    const fact = await collect(root);
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    expect(fact.status === 'unknown' && fact.reason).toMatch(/hidepid=invisible.*CAP_SYS_PTRACE/);
    // with the capability (CapEff bit 19) the same /proc is read
    writeFile(root, 'self/status', 'Name:\tnode\nCapEff:\t0000000000080000\n');
    expect(await collect(root)).toMatchObject({ status: 'known', value: { servers: [{ pid: 29 }] } });
  });
});
