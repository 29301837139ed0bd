// Reads the peak-RSS reports of controller runs out of their unit's journal
// (`journalctl -u mode-controller@<mode>.service -o cat`): the line that
// bench/probes/peak-rss.cjs prints at node's exit, then GNU time's -v block
// (the unit's ExecStart is `/usr/bin/time -v node --require <probe> ...`).
import type { PeakRss } from './results.ts';

const PROBE = /^dubnium-bench peak-rss maxrss-kib=(\d+)/;
const COMMAND = /^\s*Command being timed: "(.*)"$/;
const TIME_MAX = /^\s*Maximum resident set size \(kbytes\): (\d+)$/;

export function parseRssJournal(text: string, unit: string): PeakRss[] {
  const runs: PeakRss[] = [];
  let current: PeakRss | null = null;
  for (const line of text.split('\n')) {
    const probe = PROBE.exec(line);
    if (probe) {
      current = { unit, program: '', maxRssKiB: Number(probe[1]), timeMaxRssKiB: null };
      runs.push(current);
      continue;
    }
    if (!current) continue;
    const command = COMMAND.exec(line);
    if (command) {
      // the script node ran: the first argument ending in .js or .mjs
      current.program = (command[1] ?? '').split(' ').find((a) => /\.m?js$/.test(a) && !a.includes('/bench/probes/')) ?? (command[1] ?? '');
      continue;
    }
    const max = TIME_MAX.exec(line);
    if (max) {
      current.timeMaxRssKiB = Number(max[1]);
      current = null;
    }
  }
  return runs;
}
