// Parses the jobs `squeue --noheader --format=SQUEUE_FORMAT` lists. Fields are
// separated by the ASCII unit separator (0x1f), which no user, state or time
// contains; the job name, which may contain anything, comes last and keeps
// every separator after the fifth.
import type { SlurmJob } from '../../../schemas/facts.ts';
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export const SQUEUE_SEPARATOR = '\x1f';
/** %A job id, %i job id or array job_task, %u user, %T state, %S start time, %j name */
export const SQUEUE_FORMAT = ['%A', '%i', '%u', '%T', '%S', '%j'].join(SQUEUE_SEPARATOR);
const FIELDS = 6;

export function parseSqueueJobs(text: string): ParseResult<SlurmJob[]> {
  const lines = splitLines(text);
  const jobs: SlurmJob[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parts = line.split(SQUEUE_SEPARATOR);
    if (parts.length < FIELDS) return failAt(lines, i + 1, `expected ${FIELDS} fields separated by 0x1f (--format=${SQUEUE_FORMAT.replaceAll(SQUEUE_SEPARATOR, '\\x1f')}), found ${parts.length}`);
    const [jobId, id, user, state, start] = parts as [string, string, string, string, string];
    const name = parts.slice(FIELDS - 1).join(SQUEUE_SEPARATOR);
    if (!/^\d+$/.test(jobId) || !/^\d+(?:_\d+|_\[[^\]]*\])?(?:\+\d+)?$/.test(id)) return failAt(lines, i + 1, `"${id}" is not a Slurm job id`);
    if (!/^[A-Z_]+$/.test(state)) return failAt(lines, i + 1, `"${state}" is not a Slurm job state`);
    jobs.push({ id, user: orNull(user), name: orNull(name), state, startedAt: start === 'N/A' || start === 'Unknown' ? null : orNull(start) });
  }
  return parseOk(jobs);
}

const orNull = (value: string): string | null => (value === '' || value === '(null)' ? null : value);
