// The goals of issue 17, checked against one run's results. The table
// (table.ts) marks its rows from the same functions, so the two cannot differ.
import type { BenchResults, ColdCase, Goal, PeakRss } from './results.ts';

export const GOALS = {
  /** `mode status`, cold, shipped, over `node -e 0` */
  statusColdRatio: 1.5,
  /** `mode current --json --refresh`, cold, shipped, over the observation floor */
  currentObserveRatio: 1.2,
  /** the studio round trip via `mode request` over its verified floor */
  studioVerifiedRatio: 2.0,
  peakRssMB: 60,
  systemctlPerObservation: 1,
} as const;

export const kibToMB = (kib: number): number => (kib * 1024) / 1e6;

export interface ColdGoal {
  limit: number;
  against: string;
  ratio: number;
  met: boolean;
}

/** The goal a cold-start case is held to: only the shipped form has one. */
export function coldGoal(c: ColdCase): ColdGoal | null {
  if (c.form !== 'shipped') return null;
  const [limit, against, ratio] =
    c.verb === 'status' ? [GOALS.statusColdRatio, 'node -e 0', c.ratioToNode] : [GOALS.currentObserveRatio, 'the observation floor', c.ratioToObserveFloor];
  return { limit, against, ratio, met: ratio <= limit };
}

export const studioMet = (r: Pick<BenchResults, 'studio'>): boolean => r.studio.verifiedRatio <= GOALS.studioVerifiedRatio;

/** Every controller run whose peak RSS was measured: on the fresh audit log and on the full one. */
export const rssRuns = (r: Pick<BenchResults, 'rss' | 'fullLog'>): PeakRss[] => [...r.rss.runs, ...(r.fullLog?.rss.runs ?? [])];
const largestKiB = (runs: readonly PeakRss[]): number => Math.max(0, ...runs.map((run) => run.maxRssKiB));
export const largestRssKiB = (r: Pick<BenchResults, 'rss' | 'fullLog'>): number => largestKiB(rssRuns(r));
/** The goal held to these runs: their largest peak; null for none. */
export const runsRssMet = (runs: readonly PeakRss[]): boolean | null => (runs.length > 0 ? kibToMB(largestKiB(runs)) <= GOALS.peakRssMB : null);
export const rssMet = (r: Pick<BenchResults, 'rss' | 'fullLog'>): boolean | null => runsRssMet(rssRuns(r));

export function evaluateGoals(r: Omit<BenchResults, 'goals'>): Goal[] {
  const goals: Goal[] = [];
  for (const c of r.coldStart.cases) {
    const goal = coldGoal(c);
    if (!goal) continue;
    const who = c.compileCache ? 'as a user (compile cache)' : 'as root (no compile cache)';
    goals.push({ name: `mode ${c.verb}, cold, shipped, ${who}, vs ${goal.against}`, goal: `≤ ${goal.limit.toFixed(1)}×`, measured: `${goal.ratio.toFixed(2)}×`, met: goal.met });
  }
  if ('unavailable' in r.spawns) {
    goals.push({ name: 'systemctl processes per observation', goal: 'exactly 1', measured: `not measured: ${r.spawns.unavailable}`, met: null });
  } else {
    const n = r.spawns.observation.counts.systemctl ?? 0;
    goals.push({ name: 'systemctl processes per observation', goal: 'exactly 1', measured: String(n), met: n === GOALS.systemctlPerObservation });
  }
  goals.push({ name: 'studio round trip via mode request vs the verified floor', goal: `≤ ${GOALS.studioVerifiedRatio.toFixed(1)}×`, measured: `${r.studio.verifiedRatio.toFixed(2)}×`, met: studioMet(r) });
  goals.push({
    name: `peak RSS of a controller run (largest run${r.fullLog ? ', the fresh and the full audit log' : ''})`,
    goal: `≤ ${GOALS.peakRssMB} MB`,
    measured: rssRuns(r).length > 0 ? `${kibToMB(largestRssKiB(r)).toFixed(1)} MB (${(largestRssKiB(r) / 1024).toFixed(1)} MiB)` : 'no run reported',
    met: rssMet(r),
  });
  return goals;
}
