// What one side of a request (the `mode request` CLI, or the controller's
// run inside its unit) started and wrote, from one strace of it: the
// programs its own process started (each with what they started in turn) and
// the files the whole process tree opened for writing, renamed and synced.
import { countByTool, directChildren, parseStrace, type ProcessTree, type SpawnedTool } from './strace-processes.ts';
import { fileWrites, type FileWrites } from './strace-writes.ts';

export interface ProcessActivity {
  command: string;
  /** the programs the traced process itself started */
  tools: SpawnedTool[];
  counts: Record<string, number>;
  writes: FileWrites;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A thread's program: what its process executed last, or its parent's (a fork that has not executed yet). */
export function programNamer(tree: ProcessTree): (tid: number) => string {
  const name = (pid: number, depth: number): string => {
    const p = tree.processes.get(pid);
    const last = p?.execs.at(-1);
    if (last) return basename(last.path);
    return p?.parent !== null && p?.parent !== undefined && depth < 64 ? name(p.parent, depth + 1) : `pid ${pid}`;
  };
  return (tid) => name(tree.owner.get(tid) ?? tid, 0);
}

export function processActivity(text: string, command: string): ProcessActivity {
  const tree = parseStrace(text);
  const tools = directChildren(tree);
  return { command, tools, counts: countByTool(tools), writes: fileWrites(text, programNamer(tree)) };
}
