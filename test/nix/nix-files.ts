// Every .nix file of the repository (outside dependencies and build output).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIPPED = new Set(['node_modules', '.git', 'dist', 'coverage', 'reports', '.stryker-tmp']);

export function nixFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : walk(join(dir, entry.name));
      return entry.name.endsWith('.nix') ? [relative(root, join(dir, entry.name))] : [];
    });
  return walk(root).sort();
}
