// What a traced command wrote, on a real capture of this machine's strace
// (-f -y: the controller's own atomic write, an audit append and a child's
// write, see test/bench/fixtures/README.md) and on single lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processActivity, programNamer } from '../../bench/lib/request-activity.ts';
import { parseStrace } from '../../bench/lib/strace-processes.ts';
import { fileWrites, foldTempName } from '../../bench/lib/strace-writes.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const DIR = '/tmp/strace-cap';

describe('files written, renamed and synced (real capture: an atomic write, an append, a child writing)', () => {
  const text = fixture('strace-writes.atomic-write.txt');
  const activity = processActivity(text, 'node bench/probes/record-writes.ts');

  it('lists each file opened for writing once, with how often and by which program; read-only opens are left out', () => {
    expect(activity.writes.openedForWriting).toEqual([
      { path: `${DIR}/desired.json.tmp-*`, count: 1, by: ['node'] },
      { path: `${DIR}/audit.log`, count: 1, by: ['node'] },
      { path: `${DIR}/sh.out`, count: 1, by: ['sh'] },
    ]);
    expect(text).toMatch(/O_RDONLY/);
  });

  it('names the rename of the temp file into place and the syncs of the file, the folder and the log, made by worker threads', () => {
    expect(activity.writes.renamed).toEqual([{ from: `${DIR}/desired.json.tmp-*`, to: `${DIR}/desired.json`, count: 1, by: ['node'] }]);
    expect(activity.writes.synced).toEqual([
      { path: `${DIR}/desired.json.tmp-*`, call: 'fsync', count: 1, by: ['node'] },
      { path: DIR, call: 'fsync', count: 1, by: ['node'] },
      { path: `${DIR}/audit.log`, call: 'fsync', count: 1, by: ['node'] },
    ]);
    // the syncs were made by threads other than the main one: -y named their files
    const tree = parseStrace(text);
    const syncTids = [...text.matchAll(/^(\d+)\s+fsync\(/gm)].map((m) => Number(m[1]));
    expect(syncTids.some((tid) => tid !== tree.root)).toBe(true);
  });

  it('lists the programs the traced process started, as the observation count does', () => {
    expect(activity.counts).toEqual({ sh: 1 });
    expect(activity.tools[0]?.argv).toEqual(['/bin/sh', '-c', `echo x > ${DIR}/sh.out`]);
  });
});

describe('single strace lines', () => {
  const named = (text: string) => fileWrites(text, () => 'p');

  it('joins an open split by another thread and counts repeated opens of one path', () => {
    const text = [
      '10 openat(AT_FDCWD</>, "/run/a.lock", O_RDONLY|O_CREAT|O_NOCTTY, 0666 <unfinished ...>',
      '11 openat(AT_FDCWD</>, "/run/b", O_RDONLY|O_CLOEXEC) = 5</run/b>',
      '10 <... openat resumed>) = 3</run/a.lock>',
      '12 openat(AT_FDCWD</>, "/run/a.lock", O_RDONLY|O_CREAT, 0666) = 3</run/a.lock>',
    ].join('\n');
    expect(named(text).openedForWriting).toEqual([{ path: '/run/a.lock', count: 2, by: ['p'] }]);
  });

  it('leaves out failed calls', () => {
    const text = [
      '10 openat(AT_FDCWD</>, "/run/x.tmp-1-ab", O_WRONLY|O_CREAT|O_EXCL, 0644) = -1 EEXIST (File exists)',
      '10 rename("/a", "/b") = -1 ENOENT (No such file or directory)',
      '10 fsync(3</run/x>) = -1 EIO (Input/output error)',
    ].join('\n');
    expect(named(text)).toEqual({ openedForWriting: [], renamed: [], synced: [] });
  });

  it('resolves renameat and renameat2 against the folders -y names, and tells fdatasync from fsync', () => {
    const text = [
      '10 renameat(3</run/mc>, "s.tmp-7-0f", 3</run/mc>, "s") = 0',
      '10 renameat2(AT_FDCWD</x>, "/abs/a", AT_FDCWD</x>, "/abs/b", RENAME_NOREPLACE) = 0',
      // this machine's strace 6.1, -f -y, of `mv a d/b` in /tmp/strace-cap
      '8479  renameat2(AT_FDCWD</tmp/strace-cap>, "a", AT_FDCWD</tmp/strace-cap>, "d/b", RENAME_NOREPLACE) = 0',
      '10 fdatasync(4</var/log/audit.log>) = 0',
      '10 fsync(4</var/log/audit.log>) = 0',
    ].join('\n');
    const w = named(text);
    expect(w.renamed).toEqual([
      { from: '/run/mc/s.tmp-*', to: '/run/mc/s', count: 1, by: ['p'] },
      { from: '/abs/a', to: '/abs/b', count: 1, by: ['p'] },
      { from: '/tmp/strace-cap/a', to: '/tmp/strace-cap/d/b', count: 1, by: ['p'] },
    ]);
    expect(w.synced.map((s) => `${s.call} ${s.path}`)).toEqual(['fdatasync /var/log/audit.log', 'fsync /var/log/audit.log']);
  });

  it("folds only the atomic write's temp names", () => {
    expect(foldTempName('/run/mode-controller/desired.json.tmp-4711-00ff12ab')).toBe('/run/mode-controller/desired.json.tmp-*');
    expect(foldTempName('/run/mode-controller/desired.json')).toBe('/run/mode-controller/desired.json');
    expect(foldTempName('/run/x.tmp')).toBe('/run/x.tmp');
  });

  it("names a forked child that has not executed yet by its parent's program", () => {
    const tree = parseStrace(['1 execve("/usr/bin/node", ["node"], []) = 0', '1 clone(child_stack=NULL, flags=SIGCHLD) = 2', '2 execve("/usr/bin/flock", ["flock"], []) = 0', '1 clone(child_stack=NULL, flags=SIGCHLD) = 3'].join('\n'));
    const name = programNamer(tree);
    expect([name(1), name(2), name(3)]).toEqual(['node', 'flock', 'node']);
  });
});
