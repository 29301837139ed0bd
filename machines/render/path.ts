// Shortest paths over a chart graph, for "how would a run get from here to
// there". Entering a compound state means entering its initial child, so the
// walk follows initial states as free hops.
import type { ChartEdge, ChartGraph } from './graph.ts';

/** The atomic state a target resolves to when entered. */
export function entered(graph: ChartGraph, id: string): string {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  let current = byId.get(id);
  while (current?.initial) current = byId.get(current.initial);
  return current?.id ?? id;
}

/** Edges that leave `id` or one of its ancestors (a compound state's transitions apply to its children). */
function outgoing(graph: ChartGraph, id: string): ChartEdge[] {
  const parents = new Map(graph.states.map((s) => [s.id, s.parent]));
  const chain: string[] = [];
  for (let at: string | null | undefined = id; at; at = parents.get(at)) chain.push(at);
  return graph.edges.filter((e) => chain.includes(e.from));
}

/** Breadth-first: the fewest transitions from `from` to `to` using only edges `allowed` accepts; null if none. */
export function shortestPath(graph: ChartGraph, from: string, to: string, allowed: (e: ChartEdge) => boolean = () => true): ChartEdge[] | null {
  const start = entered(graph, from);
  const goal = entered(graph, to);
  const reachedBy = new Map<string, { edge: ChartEdge; state: string } | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0 && !reachedBy.has(goal)) {
    const at = queue.shift()!;
    for (const edge of outgoing(graph, at).filter(allowed)) {
      const next = entered(graph, edge.to);
      if (reachedBy.has(next)) continue;
      reachedBy.set(next, { edge, state: at });
      queue.push(next);
    }
  }
  if (!reachedBy.has(goal)) return null;
  const path: ChartEdge[] = [];
  for (let step = reachedBy.get(goal); step; step = reachedBy.get(step.state)) path.unshift(step.edge);
  return path;
}
