// The way a controller run would take right now. The part that depends on
// the observation is computed by the chart itself: the snapshot in
// `observing` is fed the fresh observation (facts and the classification
// decide() made of them) and xstate's pure getMicrosteps lists
// every eventless hop (classification, alreadyInTarget, hardGuardFailed)
// without running an actor. The parts before (lock, desired) and after
// (apply, verify, record) depend on things only the run can know; they are
// the chart's shortest successful path and are marked as predicted.
import { getMicrosteps } from 'xstate';
import { initialContext } from '../../machines/context.ts';
import { controller } from '../../machines/controller.ts';
import { entered, shortestPath } from '../../machines/render/path.ts';
import type { Observation } from '../../machines/observation.ts';
import type { ChartEdge, ChartGraph } from '../../machines/render/graph.ts';
import type { Config } from '../../schemas/config.ts';
import type { ModeName } from '../../schemas/names.ts';

export interface PathStep {
  edge: ChartEdge;
  /** now: decided by this observation; predicted: decided during a run */
  when: 'now' | 'predicted';
  /** for a step taken now: the guard held (or the step is unguarded) */
  guardHeld: boolean | null;
  /** guards of sibling transitions that were tried first and did not hold */
  rejected: string[];
}

const ROOT = controller.root.id;
const at = (key: string): string => `${ROOT}.${key}`;
const successEdge = (e: ChartEdge): boolean => e.kind !== 'error' && e.kind !== 'after';

function stateIds(value: unknown, prefix = ROOT): string[] {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => stateIds(child, `${prefix}.${key}`));
}

/** The edge that took the chart from `from` to `to`, and the guarded siblings tried before it. */
function takenEdge(graph: ChartGraph, from: string, to: string): { edge: ChartEdge; rejected: string[] } | null {
  const chain = new Set<string>();
  for (let s: string | null = from; s; s = graph.states.find((x) => x.id === s)?.parent ?? null) chain.add(s);
  const candidates = graph.edges.filter((e) => chain.has(e.from));
  const edge = candidates.find((e) => entered(graph, e.to) === to);
  if (!edge) return null;
  const siblings = candidates.filter((e) => e.from === edge.from && e.event === edge.event);
  const rejected = siblings.slice(0, siblings.indexOf(edge)).flatMap((e) => (e.guard ? [e.guard] : []));
  return { edge, rejected };
}

export function livePath(graph: ChartGraph, config: Config, observation: Observation, target: ModeName, planLength: number): PathStep[] {
  const predicted = (edges: ChartEdge[] | null): PathStep[] => (edges ?? []).map((edge) => ({ edge, when: 'predicted', guardHeld: null, rejected: [] }));
  const before = predicted(shortestPath(graph, at('locking'), at('observing'), successEdge));

  const context = initialContext({ config, target, generation: null, runId: 'explain', bootId: null, pid: 0, now: () => 0, wall: () => observation.facts.observedAt });
  const observing = controller.resolveState({ value: 'observing', context });
  // what the observe actor reports (machines/actors.ts)
  const doneEvent = { type: 'xstate.done.actor.observe', output: observation } as unknown as Parameters<typeof getMicrosteps<typeof controller>>[2];
  const visited = [at('observing'), ...getMicrosteps(controller, observing, doneEvent).flatMap(([snapshot]) => stateIds(snapshot.value))];
  const now: PathStep[] = [];
  for (let i = 1; i < visited.length; i += 1) {
    if (visited[i] === visited[i - 1]) continue;
    const taken = takenEdge(graph, visited[i - 1]!, visited[i]!);
    if (taken) now.push({ edge: taken.edge, when: 'now', guardHeld: true, rejected: taken.rejected });
  }

  const last = visited[visited.length - 1]!;
  // Applying goes through one step at a time; show the loop once when there are steps.
  const applying = (from: string) => [...predicted(shortestPath(graph, from, at('applying.running'), successEdge)), ...predicted(shortestPath(graph, at('applying.running'), at('done'), successEdge))];
  // A warning first: the grace passes unrefused (its timer), a fresh observation decides again, and the plan applies.
  const afterNotice = () => [
    ...predicted(shortestPath(graph, last, at('observing'), (e) => e.kind !== 'error')),
    ...predicted(shortestPath(graph, at('observing'), at('writingIntent'), successEdge)),
    ...applying(at('writingIntent')),
  ];
  // Leaving compute on a Slurm node: the drain, the wait for its jobs, a fresh observation that decides again, then the plan.
  const afterDrain = () => [
    ...predicted(shortestPath(graph, last, at('awaitingWork'), successEdge)),
    ...predicted(shortestPath(graph, at('awaitingWork'), at('observing'), successEdge)),
    ...predicted(shortestPath(graph, at('observing'), at('writingIntent'), successEdge)),
    ...applying(at('writingIntent')),
  ];
  const after =
    last === at('noticing')
      ? afterNotice()
      : last === at('draining')
        ? afterDrain()
        : last === at('writingIntent') && planLength > 0
          ? applying(last)
          : predicted(shortestPath(graph, last, at('done'), successEdge));
  return [...before, ...now, ...after];
}
