// No two modules of the project import each other, even through others and
// even for types only: a cycle means neither file can be read (or moved)
// without the other, and the shared piece belongs somewhere both can import.
// The graph is the whole tree tsconfig.json type-checks, over static imports:
// an `import()` is a lazy edge by design (cli/table.ts names each verb's
// module, and help and completions read the table), loaded only when called.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles, staticImportsOf } from './source-imports.ts';

const root = new URL('../../', import.meta.url).pathname;

function projectFiles(): string[] {
  const { include } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
  return include.flatMap((entry) => {
    if (entry.startsWith('*')) return readdirSync(root).filter((name) => name.endsWith(entry.slice(1))).map((name) => join(root, name));
    const path = join(root, entry);
    if (!existsSync(path)) return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** file → the project files it imports (relative specifiers that name a .ts file of the tree). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      staticImportsOf(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => resolve(dirname(file), spec))
        .filter((target) => known.has(target)),
    ]),
  );
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan's algorithm). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('import cycles', () => {
  it('no module of the tree imports itself through others, types included', () => {
    const cycles = cyclesOf(importGraph(projectFiles())).map((component) => component.map((file) => relative(root, file)).join(' <-> '));
    expect(cycles).toEqual([]);
  });

  it('the finder sees a two-file cycle, a longer one and a self-import, and nothing in a chain', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c', 'f']],
      ['f', []],
      ['g', ['g']],
      ['h', ['f']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b'], ['c', 'd', 'e'], ['g']]);
  });

  it('the graph holds type-only imports and re-exports, and no lazy import()', () => {
    const text = "import type { ToolPaths } from '../../schemas/config.ts';\nexport type { Clock } from './host.ts';\nconst help = () => import('./help/index.ts');";
    expect(staticImportsOf(text)).toEqual(['../../schemas/config.ts', './host.ts']);
  });
});
