// The goals (issue 8), checked against one run's results.
import type { BenchResults, Goal } from './results.ts';

export const GOALS = {
  coldRatio: 2.0,
  studioRatio: 1.5,
  peakRssMB: 80,
  systemctlPerObservation: 1,
} as const;

export const kibToMB = (kib: number): number => (kib * 1024) / 1e6;

export function evaluateGoals(r: Omit<BenchResults, 'goals'>): Goal[] {
  const goals: Goal[] = [];
  for (const c of r.coldStart.cases.filter((c) => c.form === 'shipped')) {
    goals.push({ name: `mode ${c.verb}, cold, shipped, ${c.compileCache ? 'as a user (compile cache)' : 'as root (no compile cache)'}, vs node -e 0`, goal: `≤ ${GOALS.coldRatio.toFixed(1)}×`, measured: `${c.ratioToNode.toFixed(2)}×`, met: c.ratioToNode <= GOALS.coldRatio });
  }
  if ('unavailable' in r.spawns) {
    goals.push({ name: 'systemctl processes per observation', goal: 'exactly 1', measured: `not measured: ${r.spawns.unavailable}`, met: null });
  } else {
    const n = r.spawns.observation.counts.systemctl ?? 0;
    goals.push({ name: 'systemctl processes per observation', goal: 'exactly 1', measured: String(n), met: n === GOALS.systemctlPerObservation });
  }
  goals.push({ name: 'studio round trip via mode request vs the systemctl script', goal: `≤ ${GOALS.studioRatio.toFixed(1)}×`, measured: `${r.studio.ratio.toFixed(2)}×`, met: r.studio.ratio <= GOALS.studioRatio });
  goals.push({
    name: 'peak RSS of a controller run (largest run)',
    goal: `≤ ${GOALS.peakRssMB} MB`,
    measured: r.rss.runs.length > 0 ? `${kibToMB(r.rss.maxKiB).toFixed(1)} MB (${(r.rss.maxKiB / 1024).toFixed(1)} MiB)` : 'no run reported',
    met: r.rss.runs.length > 0 ? kibToMB(r.rss.maxKiB) <= GOALS.peakRssMB : null,
  });
  return goals;
}
