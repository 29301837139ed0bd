// Which JavaScript and JSON files a command loads, from `strace -f -e
// trace=openat` output: the evidence of what a verb's start-up pays for
// (a lazy import either keeps a package off the path or it does not).
import { straceCalls } from './strace-lines.ts';

const OPENAT_OK = /^openat\([^,]+,\s*"((?:[^"\\]|\\.)*)",[^)]*\)\s+=\s+\d+/;
const MODULE_FILE = /\.(?:m?js|cjs|json)$/;

/** Paths of the .js/.mjs/.cjs/.json files opened successfully (by the threads `include` admits), each once, in order. */
export function openedModuleFiles(text: string, include: (tid: number) => boolean = () => true): string[] {
  const seen = new Set<string>();
  for (const { tid, call } of straceCalls(text)) {
    if (!include(tid)) continue;
    const path = OPENAT_OK.exec(call)?.[1];
    if (path && MODULE_FILE.test(path)) seen.add(path);
  }
  return [...seen];
}

/** npm package (under node_modules) or the repo's top folder (cli, effects, ...) of a module file. */
export function groupOf(path: string, repoMarkers: readonly string[]): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(path.replace(/node_modules\/\.cache\/[^/]+\/[^/]+\//, ''));
  if (pkg) return `npm:${pkg[1]}`;
  for (const marker of repoMarkers) {
    const at = path.indexOf(marker);
    if (at >= 0) return path.slice(at + marker.length).split('/')[0] ?? path;
  }
  return OUTSIDE_REPO;
}

/** The group of files that are not code: the records and the config the verb reads. */
export const OUTSIDE_REPO = '(outside the repo: records, config)';

/** group -> number of files, largest first */
export function countByGroup(paths: readonly string[], repoMarkers: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const g = groupOf(p, repoMarkers);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
