// Audio processes fact: processes whose name (/proc/PID/comm) is one of
// config.audio.processes, e.g. REAPER. The kernel cuts comm to 15 bytes, so
// a longer configured name is compared by its first 15. The names come from
// the observation's one scan of the process table (process-names.ts).
import type { Fact, FactSource, NamedProcess } from '../../schemas/facts.ts';
import { known, unknown } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { processNames, processRoot } from './process-names.ts';
import { withDeadline } from './with-deadline.ts';

const COMM_LENGTH = 15;

export async function collectAudioProcesses(ctx: ObserveContext): Promise<Fact<NamedProcess[]>> {
  const source: FactSource = { kind: 'file', path: `${processRoot(ctx)}/*/comm` };
  return withDeadline(read(source, ctx), ctx.timeoutMs, () =>
    unknown('unreadable', `scanning ${source.path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()),
  ctx.signal);
}

async function read(source: FactSource, ctx: ObserveContext): Promise<Fact<NamedProcess[]>> {
  const wanted = new Set(ctx.config.audio.processes.map((name) => name.slice(0, COMM_LENGTH)));
  const names = await processNames(ctx);
  if (!names.ok) return unknown('unreadable', names.reason, source, ctx.now().toISOString());
  return known(names.processes.filter((p) => wanted.has(p.comm)).map((p) => ({ pid: p.pid, name: p.comm })), source, ctx.now().toISOString());
}
