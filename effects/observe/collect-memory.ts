// Memory fact: /proc/meminfo (MemTotal, and MemAvailable when the kernel has it).
import { join } from 'node:path';
import type { Fact, FactSource, Memory } from '../../schemas/facts.ts';
import { known, unknown, unknownFromParse } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { parseMeminfo } from './parsers/meminfo.ts';
import { readFactFile } from './read-fact-file.ts';
import { withDeadline } from './with-deadline.ts';

export async function collectMemory(ctx: ObserveContext): Promise<Fact<Memory>> {
  const path = join(ctx.roots.proc, 'meminfo');
  const source: FactSource = { kind: 'file', path };
  const read = async (): Promise<Fact<Memory>> => {
    const text = await readFactFile(path, source, ctx.now);
    if (typeof text !== 'string') return text;
    const parsed = parseMeminfo(text);
    const readAt = ctx.now().toISOString();
    if (!parsed.ok) return unknownFromParse(parsed, source, readAt, path);
    return known({ memTotalKiB: parsed.value.memTotalKiB, memAvailableKiB: parsed.value.memAvailableKiB }, source, readAt);
  };
  return withDeadline(read(), ctx.timeoutMs, () => unknown('unreadable', `reading ${path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()), ctx.signal);
}
