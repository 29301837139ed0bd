// A chart graph as a Mermaid stateDiagram-v2. Mermaid cannot style single
// transitions, so edges on the highlighted path carry a star in their label
// and the path's states get a class.
import { edgeKey, edgeLabel, NO_HIGHLIGHT, type ChartGraph, type ChartState, type Highlight } from './graph.ts';

/** Mermaid ids: letters, digits and underscores only. */
export const mermaidId = (id: string): string => id.replace(/\W/g, '_');
// Characters that end or confuse a Mermaid label.
const safe = (text: string): string => text.replace(/[:;#{}"]/g, ' ').replace(/\s+/g, ' ').trim();

export function toMermaid(graph: ChartGraph, highlight: Highlight = NO_HIGHLIGHT): string {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const lines = ['stateDiagram-v2'];
  const walk = (state: ChartState, indent: string): void => {
    for (const childId of state.children) {
      const child = byId.get(childId)!;
      if (child.children.length > 0) {
        lines.push(`${indent}state "${safe(child.key)}" as ${mermaidId(child.id)} {`);
        walk(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${safe(child.key)}" as ${mermaidId(child.id)}`);
      }
      if (child.type === 'final') lines.push(`${indent}${mermaidId(child.id)} --> [*]`);
    }
    if (state.initial) lines.push(`${indent}[*] --> ${mermaidId(state.initial)}`);
  };
  walk(byId.get(graph.root)!, '  ');
  for (const edge of graph.edges) {
    const star = highlight.edges.has(edgeKey(edge)) ? ' ★' : '';
    lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)} : ${safe(edgeLabel(edge))}${star}`);
  }
  const onPath = graph.states.filter((s) => highlight.states.has(s.id) && s.children.length === 0).map((s) => mermaidId(s.id));
  if (onPath.length > 0) {
    lines.push('  classDef onPath fill:#ffdd66,stroke:#cc6600,stroke-width:2px', `  class ${onPath.join(',')} onPath`);
  }
  return `${lines.join('\n')}\n`;
}
