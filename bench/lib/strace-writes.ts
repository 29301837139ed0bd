// What a traced command wrote, from `strace -f -y -e trace=openat,rename,
// renameat,renameat2,fsync,fdatasync` output (-y: strace prints the path of
// each file descriptor, so an fsync names its file even when a worker thread
// makes it): files opened for writing, renamed and synced, by path, with
// counts. Successful calls only. The atomic-write temp names
// (`name.tmp-<pid>-<random>`) are folded into `name.tmp-*`, so that a
// request's writes count the same from run to run.
import { TEMP_NAME } from '../../effects/records/atomic-write.ts';
import { straceCalls } from './strace-lines.ts';

export interface PathCount {
  path: string;
  count: number;
  /** the programs that made the calls (basename of what the process executed) */
  by: string[];
}

export interface RenameCount {
  from: string;
  to: string;
  count: number;
  by: string[];
}

export interface FileWrites {
  /** openat with O_WRONLY, O_RDWR or O_CREAT */
  openedForWriting: PathCount[];
  renamed: RenameCount[];
  /** fsync and fdatasync of a file or a folder, each named by its call */
  synced: (PathCount & { call: 'fsync' | 'fdatasync' })[];
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
// openat(AT_FDCWD</cwd>, "path", FLAGS[, mode]) = 21</resolved path>
const OPENAT = new RegExp(String.raw`^openat\([^,]*,\s*${QUOTED},\s*([A-Z_|0-9]+)[^)]*\)\s+=\s+\d+(?:<(.*)>)?$`);
const RENAME = new RegExp(String.raw`^rename\(${QUOTED},\s*${QUOTED}\)\s+=\s+0$`);
// renameat/renameat2(olddirfd, "old", newdirfd, "new"[, flags]) = 0; -y names the dirfds
const RENAMEAT = new RegExp(String.raw`^renameat2?\([^,]*?(?:<([^>]*)>)?,\s*${QUOTED},\s*[^,]*?(?:<([^>]*)>)?,\s*${QUOTED}(?:,[^)]*)?\)\s+=\s+0$`);
const SYNC = /^(fsync|fdatasync)\(\d+<(.*)>\)\s+=\s+0$/;
const WRITING = /(?:^|\|)(?:O_WRONLY|O_RDWR|O_CREAT)(?:\||$)/;

/** `a/name.tmp-123-0af3` -> `a/name.tmp-*` */
export function foldTempName(path: string): string {
  const target = TEMP_NAME.exec(path)?.groups?.target;
  return target === undefined ? path : `${target}.tmp-*`;
}

const absolute = (dir: string | undefined, path: string): string => (path.startsWith('/') || !dir ? path : `${dir.replace(/\/$/, '')}/${path}`);

class Tally<K> {
  private readonly entries = new Map<string, { key: K; count: number; by: Set<string> }>();
  add(id: string, key: K, by: string): void {
    const entry = this.entries.get(id) ?? { key, count: 0, by: new Set<string>() };
    entry.count += 1;
    entry.by.add(by);
    this.entries.set(id, entry);
  }
  list(): (K & { count: number; by: string[] })[] {
    return [...this.entries.values()].map((e) => ({ ...e.key, count: e.count, by: [...e.by].sort() }));
  }
}

/** `programOf(tid)` names the program a thread belongs to (from the process tree of the same trace). */
export function fileWrites(text: string, programOf: (tid: number) => string): FileWrites {
  const opened = new Tally<{ path: string }>();
  const renamed = new Tally<{ from: string; to: string }>();
  const synced = new Tally<{ path: string; call: 'fsync' | 'fdatasync' }>();
  for (const { tid, call } of straceCalls(text)) {
    const by = programOf(tid);
    const open = OPENAT.exec(call);
    if (open) {
      if (!WRITING.test(open[2] as string)) continue;
      const path = foldTempName(open[3] ?? (open[1] as string));
      opened.add(path, { path }, by);
      continue;
    }
    const rename = RENAME.exec(call);
    const renameAt = rename ? null : RENAMEAT.exec(call);
    if (rename || renameAt) {
      const from = foldTempName(rename ? (rename[1] as string) : absolute(renameAt?.[1], renameAt?.[2] as string));
      const to = foldTempName(rename ? (rename[2] as string) : absolute(renameAt?.[3], renameAt?.[4] as string));
      renamed.add(`${from}\0${to}`, { from, to }, by);
      continue;
    }
    const sync = SYNC.exec(call);
    if (sync) {
      const kind = sync[1] as 'fsync' | 'fdatasync';
      const path = foldTempName(sync[2] as string);
      synced.add(`${kind}\0${path}`, { path, call: kind }, by);
    }
  }
  return { openedForWriting: opened.list(), renamed: renamed.list(), synced: synced.list() };
}
