// Where Node may keep its compile cache for `mode` (about a tenth of a cold
// `mode status`, measured in docs/cli.md). Only in the user's own cache
// folder: a cache in a shared /tmp could be planted by another user and run by
// root, so root (the units, sudo) gets none unless it asks with
// NODE_COMPILE_CACHE, which Node then honours by itself.
import { join } from 'node:path';

export function compileCacheDir(env: Readonly<Record<string, string | undefined>>, uid: number | null): string | null {
  if (uid === 0 || env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return null;
  const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : env.HOME?.startsWith('/') ? join(env.HOME, '.cache') : null;
  return base === null ? null : join(base, 'dubnium-mode', 'compile-cache');
}
