// Any XState v5 machine as plain data: its states (with nesting) and every
// transition, including the eventless `always` ones that xstate/graph leaves
// out, with readable event and guard labels. Mermaid, DOT and `mode explain`
// render from this; nothing here knows about the mode controller.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export type EdgeKind = 'event' | 'done' | 'error' | 'after' | 'always';

export interface ChartState {
  /** the state's full id, e.g. modeController.classified.desktop */
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  parent: string | null;
  initial: string | null;
  children: string[];
}

export interface ChartEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** done(observe), error(observe), after(observeTimeout), always, or the event type */
  event: string;
  guard: string | null;
  /** an unguarded fallback after guarded siblings for the same event */
  otherwise: boolean;
}

export interface ChartGraph {
  root: string;
  states: ChartState[];
  edges: ChartEdge[];
}

interface GuardLike {
  type?: unknown;
  params?: unknown;
  guards?: unknown;
  name?: unknown;
}

export function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  const g = guard as GuardLike;
  if (typeof guard === 'function' && Array.isArray(g.guards)) {
    const parts = (g.guards as unknown[]).map((x) => guardLabel(x) ?? '?');
    if (g.name === 'not') return `!${parts[0]}`;
    return `(${parts.join(g.name === 'and' ? ' && ' : ' || ')})`;
  }
  if (typeof guard === 'function') return 'inline';
  if (typeof g.type === 'string') {
    const params = g.params && typeof g.params === 'object' ? Object.values(g.params as Record<string, unknown>).map(String) : [];
    return params.length > 0 ? `${g.type}(${params.join(',')})` : g.type;
  }
  return 'inline';
}

function classify(eventType: string): { kind: EdgeKind; event: string } {
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return { kind: 'done', event: `done(${done[1]})` };
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return { kind: 'error', event: `error(${error[1]})` };
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return { kind: 'after', event: `after(${after[1]})` };
  return { kind: 'event', event: eventType };
}

function edgesOf(node: AnyStateNode): ChartEdge[] {
  const edges: ChartEdge[] = [];
  const add = (kind: EdgeKind, event: string, transitions: readonly { target?: readonly AnyStateNode[] | undefined; guard?: unknown }[]) => {
    let guardedBefore = false;
    for (const t of transitions) {
      const guard = guardLabel(t.guard);
      for (const target of t.target ?? []) edges.push({ from: node.id, to: target.id, kind, event, guard, otherwise: guard === null && guardedBefore });
      if (guard !== null) guardedBefore = true;
    }
  };
  for (const [eventType, transitions] of node.transitions) {
    const { kind, event } = classify(eventType);
    add(kind, event, transitions);
  }
  add('always', 'always', node.always ?? []);
  return edges;
}

export function chartGraph(machine: AnyStateMachine): ChartGraph {
  const states: ChartState[] = [];
  const edges: ChartEdge[] = [];
  const walk = (node: AnyStateNode): void => {
    const children = Object.values(node.states);
    states.push({
      id: node.id,
      key: node.key,
      type: node.type,
      parent: node.parent?.id ?? null,
      initial: node.initial?.target[0]?.id ?? null,
      children: children.map((c) => c.id),
    });
    edges.push(...edgesOf(node));
    children.forEach(walk);
  };
  walk(machine.root);
  return { root: machine.root.id, states, edges };
}

export const edgeKey = (e: Pick<ChartEdge, 'from' | 'to' | 'event' | 'guard'>): string => `${e.from}|${e.to}|${e.event}|${e.guard ?? ''}`;

export const edgeLabel = (e: ChartEdge): string => `${e.event}${e.guard ? ` [${e.guard}]` : e.otherwise ? ' [else]' : ''}`;

/** What to draw thick: the states and edges of a path. */
export interface Highlight {
  states: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

export const NO_HIGHLIGHT: Highlight = { states: new Set(), edges: new Set() };

export function highlightOf(path: readonly ChartEdge[]): Highlight {
  return { states: new Set(path.flatMap((e) => [e.from, e.to])), edges: new Set(path.map(edgeKey)) };
}
