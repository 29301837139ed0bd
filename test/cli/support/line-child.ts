// A long-running child whose stdout is read line by line as it comes (mode
// watch): the lines so far, its stderr, and how it ended.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface LineChild {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startLineChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): LineChild {
  const child = spawn(command, args, { env });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, stderr: () => stderr, exit };
}
