// Memory fact: /proc/meminfo (MemTotal, and MemAvailable when the kernel has it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSource, Memory } from '../../schemas/facts.ts';
import { known, unknown, unknownFromParse } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { parseMeminfo } from './parsers/meminfo.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

export async function collectMemory(ctx: ObserveContext): Promise<Fact<Memory>> {
  const path = join(ctx.roots.proc, 'meminfo');
  const source: FactSource = { kind: 'file', path };
  const read = async (): Promise<Fact<Memory>> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      return unknown('unreadable', `cannot read ${path}: ${describeError(error)}`, source, ctx.now().toISOString());
    }
    const parsed = parseMeminfo(text);
    const readAt = ctx.now().toISOString();
    if (!parsed.ok) return unknownFromParse(parsed, source, readAt, path);
    return known({ memTotalKiB: parsed.value.memTotalKiB, memAvailableKiB: parsed.value.memAvailableKiB }, source, readAt);
  };
  return withDeadline(read(), ctx.timeoutMs, () => unknown('unreadable', `reading ${path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()), ctx.signal);
}
