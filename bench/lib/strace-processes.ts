// Reads `strace -f -e trace=process -v -s N -o FILE` output into the tree of
// processes a command started, so the bench can count, for real, which tools
// one observation spawns. Threads (clone with CLONE_THREAD) are folded into
// their process; a process is named by its first successful execve.
import { straceCalls } from './strace-lines.ts';

export interface TracedProcess {
  pid: number;
  parent: number | null;
  /** successful execve calls in order: path and argv */
  execs: { path: string; argv: string[] }[];
}

export interface ProcessTree {
  root: number;
  processes: Map<number, TracedProcess>;
  /** thread id -> the process it belongs to */
  owner: Map<number, number>;
}

const CLONE = /^(clone3?|fork|vfork)\((.*)\)\s+=\s+(\d+)$/;
const EXECVE_OK = /^execve\("((?:[^"\\]|\\.)*)",\s*\[(.*)\)\s+=\s+0$/;

/** The C string escapes strace prints; enough for paths and argv. */
function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc.startsWith('x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' } as Record<string, string>)[esc] ?? esc;
  });
}

/** The quoted strings of an argv array printed by strace, up to its closing bracket. */
export function readStringArray(text: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ']') return values;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      values.push(unescape(text.slice(i + 1, j)));
      i = j + 1;
      // strace marks a string it cut short with "..." right after the quote
      if (text.startsWith('...', i)) i += 3;
    } else {
      i += 1;
    }
  }
  return values;
}

export function parseStrace(text: string): ProcessTree {
  const processes = new Map<number, TracedProcess>();
  // thread id -> the process (thread group) it belongs to
  const owner = new Map<number, number>();
  let root: number | null = null;
  const processOf = (tid: number): TracedProcess => {
    const pid = owner.get(tid) ?? tid;
    let p = processes.get(pid);
    if (!p) {
      p = { pid, parent: null, execs: [] };
      processes.set(pid, p);
      owner.set(tid, pid);
    }
    return p;
  };

  for (const { tid, call } of straceCalls(text)) {
    root ??= tid;
    const self = processOf(tid);
    const clone = CLONE.exec(call);
    if (clone) {
      const child = Number(clone[3]);
      if (/CLONE_THREAD/.test(clone[2] as string)) {
        owner.set(child, self.pid);
      } else {
        owner.set(child, child);
        const existing = processes.get(child);
        if (existing) existing.parent = self.pid;
        else processes.set(child, { pid: child, parent: self.pid, execs: [] });
      }
      continue;
    }
    const exec = EXECVE_OK.exec(call);
    if (exec) self.execs.push({ path: unescape(exec[1] as string), argv: readStringArray(exec[2] as string) });
  }
  if (root === null) throw new Error('the strace output holds no traced call: was the command traced at all?');
  return { root: owner.get(root) ?? root, processes, owner };
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export interface SpawnedTool {
  tool: string;
  /** the program's path as executed (argv[0] may be a bare name) */
  path: string;
  argv: string[];
  /** processes below it (a stand-in's own node, a shell's children) */
  descendants: number;
}

/** The programs the root process itself started, each with what it started in turn. */
export function directChildren(tree: ProcessTree): SpawnedTool[] {
  const children = (pid: number) => [...tree.processes.values()].filter((p) => p.parent === pid);
  const countBelow = (pid: number): number => children(pid).reduce((n, c) => n + 1 + countBelow(c.pid), 0);
  return children(tree.root)
    .filter((p) => p.execs.length > 0)
    .map((p) => {
      const first = p.execs[0] as { path: string; argv: string[] };
      return { tool: basename(first.path), path: first.path, argv: first.argv, descendants: countBelow(p.pid) };
    });
}

/** tool name -> how many times the root started it */
export function countByTool(tools: readonly SpawnedTool[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tools) counts[t.tool] = (counts[t.tool] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
