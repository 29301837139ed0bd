// Persistence paths fact: whether each configured path (the model store
// among them) exists, is a folder, and how much space is free for an
// unprivileged writer (statfs bavail × bsize).
import { stat, statfs } from 'node:fs/promises';
import type { Fact, FactSource, PathState } from '../../schemas/facts.ts';
import { errorCode, known, unknown } from './fact-builders.ts';
import type { ObserveContext } from './observe-context.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

export async function collectPaths(ctx: ObserveContext): Promise<Fact<PathState[]>> {
  const paths = ctx.config.persistencePaths;
  const source: FactSource = { kind: 'syscall', call: 'stat, statfs', path: paths.join(', ') };
  const read = async (): Promise<Fact<PathState[]>> => {
    const states: PathState[] = [];
    for (const path of paths) {
      try {
        const info = await stat(path);
        const fs = await statfs(path);
        states.push({ path, exists: true, isDirectory: info.isDirectory(), freeBytes: Number(fs.bavail) * Number(fs.bsize) });
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          states.push({ path, exists: false, isDirectory: null, freeBytes: null });
          continue;
        }
        return unknown('unreadable', `cannot stat ${path}: ${describeError(error)}`, source, ctx.now().toISOString());
      }
    }
    return known(states, source, ctx.now().toISOString());
  };
  return withDeadline(read(), ctx.timeoutMs, () => unknown('unreadable', `stat/statfs of ${paths.join(', ')} did not finish within ${ctx.timeoutMs} ms (a hung network mount?)`, source, ctx.now().toISOString()), ctx.signal);
}
