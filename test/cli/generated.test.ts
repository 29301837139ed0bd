// Files generated from one source must match it: docs/cli.md and docs/mode.1
// from the command table, the CLI's record validators from schemas/cli-views.ts.
// The man page also goes through man(1)'s own formatter without a warning.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandName } from '../../cli/table.ts';
import { manPage } from '../../cli/docs/man.ts';
import { cliMarkdown } from '../../cli/docs/markdown.ts';

const script = (name: string) => fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));
const check = (name: string) => spawnSync(process.execPath, [script(name), '--check'], { encoding: 'utf8' });

describe('generated files', () => {
  it('docs/cli.md and docs/mode.1 are up to date', () => {
    const result = check('generate-cli-docs.ts');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the record validators are up to date', () => {
    const result = check('generate-cli-validators.ts');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('every verb is documented in both', () => {
    const md = cliMarkdown();
    const man = manPage('0.0.0');
    for (const command of COMMANDS) {
      expect(md).toContain(`### \`mode ${commandName(command)}\``);
      expect(man).toContain(`\\fBmode ${commandName(command).replace(/-/g, '\\-')}`);
    }
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v groff']).status !== 0)('the man page formats without warnings', () => {
    const result = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: manPage('0.0.0'), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
