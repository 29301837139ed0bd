// Prometheus' own checkers (Debian's prometheus package ships promtool), run
// on what the tests produce: `check metrics` lints an exposition from stdin,
// `check rules` a rule file.
import { execa } from 'execa';
import { findOnPath } from '../sandbox/prerequisites.ts';

export const PROMTOOL_MISSING = toolMissing();

function toolMissing(): string[] {
  return findOnPath('promtool') ? [] : ['promtool not found on PATH: apt-get install prometheus'];
}

export interface PromtoolResult {
  exitCode: number | null;
  output: string;
}

export async function promtool(args: readonly string[], input?: string): Promise<PromtoolResult> {
  const result = await execa('promtool', args, { reject: false, timeout: 20_000, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
  return { exitCode: result.exitCode ?? null, output: `${String(result.stdout)}${String(result.stderr)}` };
}
