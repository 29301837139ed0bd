// The controller's own write recipes, once each, for a capture of how this
// machine's strace prints them (test/bench/fixtures/strace-writes.atomic-write.txt):
// an atomic JSON write (temp file, fsync, rename, folder fsync), an audit
// append, and a child process writing a file.
//   strace -f -qq -v -s 4096 -y -e trace=process,openat,rename,renameat,renameat2,fsync,fdatasync \
//     -o trace.txt node bench/probes/record-writes.ts <empty folder>
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { appendLine } from '../../effects/records/append-line.ts';
import { writeJsonAtomic } from '../../effects/records/atomic-write.ts';

const folder = process.argv[2];
if (!folder) throw new Error('usage: record-writes.ts <empty folder>');
const written = await writeJsonAtomic(join(folder, 'desired.json'), { mode: 'studio-local' }, 0o644);
const appended = await appendLine(join(folder, 'audit.log'), '{"x":1}\n', 0o644);
execFileSync('/bin/sh', ['-c', `echo x > ${join(folder, 'sh.out')}`], { timeout: 10_000 });
console.log(JSON.stringify([written, appended]));
