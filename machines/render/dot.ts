// A chart graph as Graphviz DOT: compound states become clusters, finals
// double circles, and the highlighted path is drawn thick and coloured.
import { edgeKey, edgeLabel, NO_HIGHLIGHT, type ChartGraph, type ChartState, type Highlight } from './graph.ts';

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const clusterId = (id: string): string => quote(`cluster_${id}`);
const PATH_COLOUR = '#cc6600';

export function toDot(graph: ChartGraph, highlight: Highlight = NO_HIGHLIGHT): string {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  /** An edge cannot end on a cluster: it ends on the state the cluster enters first. */
  const anchor = (id: string): string => {
    let state = byId.get(id);
    while (state && state.children.length > 0) state = byId.get(state.initial ?? state.children[0]!);
    return state?.id ?? id;
  };
  const lines = [
    `digraph ${quote(graph.root)} {`,
    '  compound=true; rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const node = (state: ChartState, indent: string): void => {
    const attrs = [`label=${quote(state.key)}`];
    if (state.type === 'final') attrs.push('shape=doublecircle');
    if (highlight.states.has(state.id)) attrs.push('style="rounded,filled"', 'fillcolor="#ffdd66"', `color=${quote(PATH_COLOUR)}`, 'penwidth=2');
    lines.push(`${indent}${quote(state.id)} [${attrs.join(', ')}];`);
  };
  const walk = (state: ChartState, indent: string): void => {
    for (const childId of state.children) {
      const child = byId.get(childId)!;
      if (child.children.length > 0) {
        lines.push(`${indent}subgraph ${clusterId(child.id)} {`, `${indent}  label=${quote(child.key)}; style=rounded;`);
        walk(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        node(child, indent);
      }
    }
    if (state.initial) {
      const start = quote(`${state.id}.__initial`);
      lines.push(`${indent}${start} [shape=point, label=""];`, `${indent}${start} -> ${quote(anchor(state.initial))};`);
    }
  };
  walk(byId.get(graph.root)!, '  ');
  for (const edge of graph.edges) {
    const attrs = [`label=${quote(edgeLabel(edge))}`];
    if (byId.get(edge.from)?.children.length) attrs.push(`ltail=${clusterId(edge.from)}`);
    if (byId.get(edge.to)?.children.length) attrs.push(`lhead=${clusterId(edge.to)}`);
    if (highlight.edges.has(edgeKey(edge))) attrs.push(`color=${quote(PATH_COLOUR)}`, 'penwidth=2.5', `fontcolor=${quote(PATH_COLOUR)}`);
    else if (edge.kind === 'error' || edge.kind === 'after') attrs.push('style=dashed', 'color="#888888"');
    lines.push(`  ${quote(anchor(edge.from))} -> ${quote(anchor(edge.to))} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
