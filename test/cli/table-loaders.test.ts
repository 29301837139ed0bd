// The command table is the one place a verb is dispatched from: every row
// loads its own folder's module, cli/<path joined by '-'>/index.ts, which
// exports run(). A row pointing at another verb's module, or a module that
// lost its run(), fails here rather than on a user's machine.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandName } from '../../cli/table.ts';

describe('the command table loaders', () => {
  it.each(COMMANDS.map((c) => [commandName(c), c] as const))('mode %s loads cli/<its folder>/index.ts, which exports run()', async (_name, command) => {
    const file = new URL(`../../cli/${command.path.join('-')}/index.ts`, import.meta.url);
    expect(existsSync(file), file.pathname).toBe(true);
    const module = await command.load();
    // the same module instance: the row imports its own folder's index.ts, not another verb's
    expect(module).toBe(await import(file.href));
    expect(typeof module.run).toBe('function');
  });
});
