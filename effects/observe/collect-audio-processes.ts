// Audio processes fact: processes whose name (/proc/PID/comm) is one of
// config.audio.processes, e.g. REAPER. The kernel cuts comm to 15 bytes, so
// a longer configured name is compared by its first 15.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSource, NamedProcess } from '../../schemas/facts.ts';
import { errorCode, known, unknown } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

const COMM_LENGTH = 15;

export async function collectAudioProcesses(ctx: ObserveContext): Promise<Fact<NamedProcess[]>> {
  const source: FactSource = { kind: 'file', path: `${ctx.roots.proc}/*/comm` };
  return withDeadline(read(source, ctx), ctx.timeoutMs, () =>
    unknown('unreadable', `scanning ${source.path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()),
  ctx.signal);
}

async function read(source: FactSource, ctx: ObserveContext): Promise<Fact<NamedProcess[]>> {
  const wanted = new Set(ctx.config.audio.processes.map((name) => name.slice(0, COMM_LENGTH)));
  let entries: string[];
  try {
    entries = await readdir(ctx.roots.proc);
  } catch (error) {
    return unknown('unreadable', `cannot list ${ctx.roots.proc}: ${describeError(error)}`, source, ctx.now().toISOString());
  }
  const pids = entries.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  // all comm files at once: the scan is on the path of every `mode status`
  const comms = await Promise.all(pids.map((pid) => readComm(join(ctx.roots.proc, pid, 'comm'))));
  const found: NamedProcess[] = [];
  for (const [i, comm] of comms.entries()) {
    if (comm !== null && typeof comm === 'object') return unknown('unreadable', `cannot read ${join(ctx.roots.proc, pids[i]!, 'comm')}: ${comm.error}`, source, ctx.now().toISOString());
    if (comm !== null && wanted.has(comm)) found.push({ pid: Number(pids[i]), name: comm });
  }
  return known(found, source, ctx.now().toISOString());
}

/** The process's name; null when it exited meanwhile; { error } when it cannot be read. */
async function readComm(path: string): Promise<string | null | { error: string }> {
  try {
    return (await readFile(path, 'utf8')).replace(/\n$/, '');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ESRCH') return null;
    return { error: describeError(error) };
  }
}
