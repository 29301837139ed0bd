// Every process's name (/proc/PID/comm), read once per observation: the
// audio processes and the audio realtime facts both look processes up by
// name, and on the path of every `mode status --refresh` one scan of /proc
// is enough. The process table is the real one (roots.pids, as the GPU
// holders scan uses), so a process a test starts is found like any other.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../../shared/describe-error.ts';
import { CAPABILITY_HINT, hiddenProcesses } from './collect-gpu-holders.ts';
import { errorCode } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';

export interface NamedPid {
  pid: number;
  comm: string;
}

export type ProcessNames = { ok: true; root: string; processes: NamedPid[] } | { ok: false; root: string; reason: string };

const scans = new WeakMap<ObserveContext, Promise<ProcessNames>>();

export const processRoot = (ctx: ObserveContext): string => ctx.roots.pids ?? '/proc';

/** The names of every process, by PID; one scan per observation context. */
export function processNames(ctx: ObserveContext): Promise<ProcessNames> {
  let scan = scans.get(ctx);
  if (scan === undefined) {
    scan = scanNames(processRoot(ctx));
    scans.set(ctx, scan);
  }
  return scan;
}

async function scanNames(root: string): Promise<ProcessNames> {
  const hidden = await hiddenProcesses(root);
  if (hidden !== null) return { ok: false, root, reason: `${hidden}; ${CAPABILITY_HINT}` };
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (error) {
    return { ok: false, root, reason: `cannot list ${root}: ${describeError(error)}` };
  }
  const pids = entries.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  // each comm file read at once, synchronously: a read of /proc/PID/comm never waits on a device,
  // and an asynchronous one costs four thread-pool round trips (open, fstat, read, close), ~10x the
  // syscalls, on the path of every refreshed observation (docs/observation.md)
  const comms = pids.map((pid) => readComm(join(root, pid, 'comm')));
  const processes: NamedPid[] = [];
  for (const [i, comm] of comms.entries()) {
    if (comm !== null && typeof comm === 'object') return { ok: false, root, reason: `cannot read ${join(root, pids[i]!, 'comm')}: ${comm.error}` };
    if (comm !== null) processes.push({ pid: Number(pids[i]), comm });
  }
  return { ok: true, root, processes };
}

/** The process's name; null when it exited meanwhile; { error } when it cannot be read. */
function readComm(path: string): string | null | { error: string } {
  try {
    return readFileSync(path, 'utf8').replace(/\n$/, '');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ESRCH') return null;
    return { error: describeError(error) };
  }
}
