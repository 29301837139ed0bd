// Parses `systemctl list-jobs --no-legend --full [-- UNIT]`: one job a line,
// `ID UNIT TYPE STATE`, columns padded with spaces (a real systemd 252
// capture is in test/catalogue/fixtures/real/). Pure: text in, jobs out.
export interface QueuedJob {
  id: number;
  unit: string;
  type: string;
  state: string;
}

export type ListJobsResult = { ok: true; jobs: QueuedJob[] } | { ok: false; problem: string };

const LINE = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

export function parseListJobs(text: string): ListJobsResult {
  const jobs: QueuedJob[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (!m) return { ok: false, problem: `line ${index + 1} of systemctl list-jobs is not "ID UNIT TYPE STATE": ${JSON.stringify(line.slice(0, 120))}` };
    jobs.push({ id: Number(m[1]), unit: m[2]!, type: m[3]!, state: m[4]! });
  }
  return { ok: true, jobs };
}
