// GPU holders fact: every process that holds a /dev/nvidia* node open, read
// from /proc/PID/fd (what `fuser -v /dev/nvidia*` reports), with its command
// and where systemd runs it (/proc/PID/cgroup). nvidia-smi does not list
// every user of a GPU (processes of other PID namespaces and containers:
// NixOS/nixpkgs#291217), and a process without a context (a compositor that
// only opened the device) is not on its list either; an open descriptor is
// what keeps the driver, and the memory, held.
//
// Reading another user's /proc/PID/fd needs CAP_DAC_READ_SEARCH (the folder
// is 0500, owned by that user) and CAP_SYS_PTRACE (each link is checked like
// a ptrace attach); mode-controller@.service grants both. A process whose
// descriptors cannot be read makes the fact unknown and names the
// capabilities: a partial list would say a GPU is free when it is not.
import { readlinkSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSource, GpuHolder } from '../../schemas/facts.ts';
import { errorCode, known, unknown } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { parseProcCgroup } from './parsers/proc-cgroup.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

const NVIDIA_NODE = /^\/dev\/nvidia/;
/** how many processes are read at once: a desktop has hundreds, each with dozens of descriptors */
const BATCH = 64;
const SHOWN_UNREADABLE = 5;

export const CAPABILITY_HINT =
  "reading other users' /proc/PID/fd needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (mode-controller@.service's CapabilityBoundingSet grants both; a drop-in that empties it takes them away)";

type Scan = { kind: 'gone' } | { kind: 'unreadable'; pid: string; error: string } | { kind: 'read'; holder: GpuHolder | null };

export async function collectGpuHolders(ctx: ObserveContext): Promise<Fact<GpuHolder[]>> {
  const root = ctx.roots.pids ?? '/proc';
  const source: FactSource = { kind: 'file', path: `${root}/*/fd` };
  return withDeadline(read(root, source, ctx), ctx.timeoutMs, () =>
    unknown('unreadable', `scanning ${source.path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()),
  ctx.signal);
}

async function read(root: string, source: FactSource, ctx: ObserveContext): Promise<Fact<GpuHolder[]>> {
  const hidden = await hiddenProcesses(root);
  if (hidden !== null) return unknown('unreadable', `${hidden}; ${CAPABILITY_HINT}`, source, ctx.now().toISOString());
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (error) {
    return unknown('unreadable', `cannot list ${root}: ${describeError(error)}`, source, ctx.now().toISOString());
  }
  const pids = entries.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  const scans: Scan[] = [];
  for (let i = 0; i < pids.length; i += BATCH) scans.push(...(await Promise.all(pids.slice(i, i + BATCH).map((pid) => scanProcess(root, pid)))));
  const unreadable = scans.filter((s): s is Extract<Scan, { kind: 'unreadable' }> => s.kind === 'unreadable');
  if (unreadable.length > 0) {
    const shown = unreadable.slice(0, SHOWN_UNREADABLE).map((u) => `pid ${u.pid}: ${u.error}`);
    return unknown(
      'unreadable',
      `cannot read the descriptors of ${unreadable.length} of ${pids.length} processes (${shown.join('; ')}${unreadable.length > shown.length ? '; ...' : ''}); ${CAPABILITY_HINT}`,
      source,
      ctx.now().toISOString(),
      shown,
    );
  }
  const holders = scans.flatMap((s) => (s.kind === 'read' && s.holder !== null ? [s.holder] : []));
  return known(holders, source, ctx.now().toISOString());
}

const CAP_SYS_PTRACE = 19n;

/**
 * Why other users' processes are not even listed, or null: a /proc mounted with hidepid=invisible (or
 * ptraceable; ProtectProc=invisible does it) leaves out every process this one may not ptrace, so
 * without CAP_SYS_PTRACE a scan would see only its own user's and call the list complete.
 */
export async function hiddenProcesses(root: string): Promise<string | null> {
  const [mountinfo, status] = await Promise.all([readFile(join(root, 'self', 'mountinfo'), 'utf8').catch(() => ''), readFile(join(root, 'self', 'status'), 'utf8').catch(() => '')]);
  // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS
  const mount = mountinfo
    .split('\n')
    .map((line) => line.split(' - '))
    .find(([head, tail]) => head?.split(' ')[4] === root && tail?.startsWith('proc '));
  const hidepid = /(?:^|,)hidepid=(invisible|ptraceable|2|4)(?:,|$)/.exec(mount?.[1]?.split(' ')[2] ?? '')?.[1];
  if (hidepid === undefined) return null;
  const effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (effective !== undefined && (BigInt(`0x${effective}`) >> CAP_SYS_PTRACE) & 1n) return null;
  return `${root} is mounted with hidepid=${hidepid} and this process lacks CAP_SYS_PTRACE: other users' processes are hidden from it`;
}

const isGone = (error: unknown) => errorCode(error) === 'ENOENT' || errorCode(error) === 'ESRCH';

async function scanProcess(root: string, pid: string): Promise<Scan> {
  const fdDir = join(root, pid, 'fd');
  let fds: string[];
  try {
    fds = await readdir(fdDir);
  } catch (error) {
    if (isGone(error)) return { kind: 'gone' };
    return { kind: 'unreadable', pid, error: `${errorCode(error) ?? 'error'} on ${fdDir}` };
  }
  const devices = new Set<string>();
  // readlink(2) of a /proc fd link is a name lookup that never waits on a device, and a desktop
  // has thousands: each through libuv's thread pool and a promise cost a cold observation ~10x the
  // syscall itself. The scan still yields once per process (the readdir above), so its deadline holds.
  // fdDir is already a normal path and fd a number readdir gave: path.join's normalizing of each
  // of a desktop's thousands of links is only cost
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${fdDir}/${fd}`);
      if (NVIDIA_NODE.test(target)) devices.add(target);
    } catch (error) {
      // a descriptor closed between listing and reading is no longer held
      if (isGone(error)) continue;
      return { kind: 'unreadable', pid, error: `${errorCode(error) ?? 'error'} on ${fdDir}/${fd}` };
    }
  }
  if (devices.size === 0) return { kind: 'read', holder: null };
  return { kind: 'read', holder: await describe(root, pid, [...devices].sort()) };
}

async function describe(root: string, pid: string, devices: string[]): Promise<GpuHolder> {
  const [comm, cgroupText, owner] = await Promise.all([
    readFile(join(root, pid, 'comm'), 'utf8').catch(() => null),
    readFile(join(root, pid, 'cgroup'), 'utf8').catch(() => null),
    stat(join(root, pid)).catch(() => null),
  ]);
  const placement = cgroupText === null ? null : parseProcCgroup(cgroupText);
  const where = placement?.ok ? placement.value : null;
  return {
    pid: Number(pid),
    command: comm === null ? '?' : comm.replace(/\n$/, ''),
    uid: owner?.uid ?? null,
    devices,
    cgroup: where?.cgroup ?? null,
    unit: where?.unit ?? null,
    userUnit: where?.userUnit ?? null,
    session: where?.session ?? null,
  };
}
