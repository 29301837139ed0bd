// What the project tests read from the source: its .ts files and the module
// specifiers each one imports. Text, not a compiler: the rules they check
// (layering, no cycles) are about import lines, and a regex over them is
// fast and has no dependency of its own.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every specifier a file imports or re-exports: static (types too), dynamic and bare. */
export function importsOf(text: string): string[] {
  const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  const { specifiers, bare } = staticSpecifiers(text);
  return [...specifiers, ...dynamic, ...bare];
}

/** What a file needs loaded before it runs: static imports and re-exports (types too) and bare imports, not `import()`. */
export function staticImportsOf(text: string): string[] {
  const { specifiers, bare } = staticSpecifiers(text);
  return [...specifiers, ...bare];
}

function staticSpecifiers(text: string): { specifiers: string[]; bare: string[] } {
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return { specifiers, bare };
}

/** `import type` and `export type` only: erased at run time, so they bring no code along. */
export function typeOnlyImportsOf(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s+type\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}
