// --help of every verb comes from the table and names every argument, option
// and exit status of that verb; `mode help <verb>` says the same.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { optionLabel } from '../../cli/help/text.ts';
import { COMMANDS, GLOBAL_OPTIONS, commandName } from '../../cli/table.ts';
import { MODE_TS, runCli } from './support/cli.ts';

describe('mode --help', () => {
  it('lists every verb and every exit status', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(commandName(command));
    for (const code of Object.values(EXIT)) expect(result.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    expect(result.stdout).toContain('NO_COLOR');
  });

  it.each(COMMANDS.map((c) => [commandName(c), c] as const))('mode %s --help names its arguments, options and exits', async (name, command) => {
    const result = await runCli([...command.path, '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const text = result.stdout;
    for (const a of command.arguments) expect(text).toContain(`<${a.name}>`);
    for (const o of [...command.options, ...GLOBAL_OPTIONS]) expect(text).toContain(optionLabel(o));
    for (const exit of command.exits) expect(text).toMatch(new RegExp(`^  ${EXIT[exit]} +\\S`, 'm'));
    if (command.jsonSchema) expect(text).toContain(`schemas/json/${command.jsonSchema}.schema.json`);
    const viaHelp = await runCli(['help', ...command.path]);
    expect(viaHelp.stdout).toBe(text);
  });

  it('explains a group word and rejects an unknown verb with the list', async () => {
    const group = await runCli(['debug']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('debug parse');
    const unknown = await runCli(['help', 'frob']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain("unknown verb 'frob'");
    expect(unknown.stderr).toContain('valid verbs: status, current');
  });

  it('prints usage errors without a stack trace', async () => {
    const result = await runCli(['request', 'gamer']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe("mode: unknown mode 'gamer'\n  valid modes: desktop, studio-local, compute\n");
    expect(result.stdout).toBe('');
  });

  it('answers --json usage errors with a JSON error document too', async () => {
    const result = await runCli(['history', '-n', 'x', '--json']);
    expect(result.code).toBe(EXIT.usage);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { exit: 2, status: 'usage' } });
  });

  it('prints the version of package.json', async () => {
    const result = await runCli(['--version']);
    expect(result.stdout).toMatch(/^mode \d+\.\d+\.\d+\n$/);
  });
});

describe('colour', () => {
  // script(1) gives the command a pseudo-terminal, the only way to be a TTY in a test.
  const inTerminal = (env: string): string =>
    spawnSync('script', ['-qec', `env ${env} '${process.execPath}' '${MODE_TS}' --help`, '/dev/null'], { encoding: 'utf8' }).stdout;

  it('is used on a terminal, and not when NO_COLOR is set or stdout is a pipe', async () => {
    expect(inTerminal('NO_COLOR=')).toContain('\u001b[1m');
    expect(inTerminal('NO_COLOR=1')).not.toContain('\u001b[');
    expect((await runCli(['--help'])).stdout).not.toContain('\u001b[');
  });
});
