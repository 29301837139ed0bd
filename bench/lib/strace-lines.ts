// strace -f writes one line per call, prefixed with the thread id; a call
// that blocks while another thread runs is split into "<unfinished ...>"
// and "<... name resumed>" lines. This joins them back into whole calls.

export interface TracedCall {
  tid: number;
  /** e.g. `execve("/usr/bin/systemctl", [...], ...) = 0` */
  call: string;
}

const LINE = /^(\d+)\s+(.*)$/;
const UNFINISHED = /\s*<unfinished \.\.\.>$/;
const RESUMED = /^<\.\.\. \w+ resumed>\s?/;

export function straceCalls(text: string): TracedCall[] {
  const calls: TracedCall[] = [];
  const pending = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    const tid = Number(m[1]);
    const call = m[2] as string;
    if (UNFINISHED.test(call)) {
      pending.set(tid, call.replace(UNFINISHED, ''));
      continue;
    }
    if (RESUMED.test(call)) {
      calls.push({ tid, call: (pending.get(tid) ?? '') + call.replace(RESUMED, '') });
      pending.delete(tid);
      continue;
    }
    calls.push({ tid, call });
  }
  return calls;
}
