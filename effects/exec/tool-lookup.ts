// Finds a tool's executable: a config.tools override first, otherwise the
// first executable of that name on PATH, so that a fake tool placed first on
// PATH can stand in for the real one in tests and in the sandbox.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ToolPaths } from '../../schemas/config.ts';
import { TOOL_BINARIES, type ToolName } from './command-result.ts';

export type ToolLookup = { found: true; path: string } | { found: false; searched: string[] };

export function lookupTool(tool: ToolName, tools: ToolPaths | undefined, env: NodeJS.ProcessEnv): ToolLookup {
  const wanted = tools?.[tool] ?? TOOL_BINARIES[tool];
  if (wanted.includes('/')) {
    const path = isAbsolute(wanted) ? wanted : join(process.cwd(), wanted);
    return isExecutableFile(path) ? { found: true, path } : { found: false, searched: [path] };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const searched: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, wanted);
    searched.push(path);
    if (isExecutableFile(path)) return { found: true, path };
  }
  return { found: false, searched };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
