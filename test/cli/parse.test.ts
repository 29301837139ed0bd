// The parser is the table: every verb, option and argument in it parses, and
// anything else is a usage error that names the problem — never a crash.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { flag, optionValue, parseCommandLine, usageLine } from '../../cli/parse.ts';
import { COMMANDS, commandName } from '../../cli/table.ts';
import { MODES } from '../../schemas/modes.ts';

function usageErrorOf(argv: string[]): CliError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

describe('parseCommandLine', () => {
  it('finds every command of the table, including two-word ones', () => {
    for (const command of COMMANDS) {
      const argv = [...command.path, ...command.arguments.filter((a) => a.required).map((a) => a.choices?.[0] ?? 'x')];
      const parsed = parseCommandLine(argv);
      expect(parsed.kind).toBe('run');
      if (parsed.kind === 'run') expect(commandName(parsed.invocation.command)).toBe(commandName(command));
    }
  });

  it('binds options and arguments by name', () => {
    const parsed = parseCommandLine(['explain', 'compute', '--format', 'dot', '--config', '/etc/x.json']);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect(parsed.invocation.args.mode).toBe('compute');
    expect(optionValue(parsed.invocation, 'format')).toBe('dot');
    expect(optionValue(parsed.invocation, 'config')).toBe('/etc/x.json');
    const history = parseCommandLine(['history', '-n', '5', '--json']);
    if (history.kind !== 'run') throw new Error(history.kind);
    expect(optionValue(history.invocation, 'lines')).toBe('5');
    expect(flag(history.invocation, 'json')).toBe(true);
  });

  it('lists the valid modes for an unknown one, and says degraded cannot be requested', () => {
    const unknown = usageErrorOf(['request', 'gamer']);
    expect(unknown.exit).toBe(EXIT.usage);
    expect(unknown.message).toContain("unknown mode 'gamer'");
    expect(unknown.hints.join(' ')).toContain(MODES.join(', '));
    expect(usageErrorOf(['request', 'degraded']).message).toContain('observed state');
  });

  it('names the problem for each kind of bad command line', () => {
    expect(usageErrorOf(['frobnicate']).message).toBe("unknown verb 'frobnicate'");
    expect(usageErrorOf(['status', '--frob']).message).toBe("unknown option '--frob' for mode status");
    expect(usageErrorOf(['explain', 'compute', '--format']).message).toBe("option '--format' of mode explain needs a value");
    expect(usageErrorOf(['status', '--json=yes']).message).toBe("option '--json' of mode status takes no value");
    expect(usageErrorOf(['explain', 'compute', '--format', 'svg']).message).toContain('must be one of text, mermaid, dot, json');
    expect(usageErrorOf(['history', '-n', '0']).message).toContain('whole number from 1');
    expect(usageErrorOf(['history', '-n', '1e3']).message).toContain('whole number');
    expect(usageErrorOf(['status', 'extra']).message).toBe("unexpected argument 'extra' to mode status");
    expect(usageErrorOf(['request']).message).toContain('needs <mode>: one of desktop, studio-local, compute');
    expect(usageErrorOf(['debug', 'frob']).message).toBe("unknown command 'mode debug frob'");
    expect(usageErrorOf(['--json', 'status']).message).toContain('options go after the verb');
  });

  it('answers --help before checking arguments', () => {
    const parsed = parseCommandLine(['request', '--help']);
    expect(parsed.kind === 'run' && parsed.invocation.help).toBe(true);
    expect(parseCommandLine(['debug'])).toMatchObject({ kind: 'group-help', group: 'debug' });
    expect(parseCommandLine([])).toEqual({ kind: 'top-help' });
  });

  it('has a usage line naming every argument and option', () => {
    for (const command of COMMANDS) {
      const line = usageLine(command);
      for (const a of command.arguments) expect(line).toContain(a.name);
      for (const o of command.options) expect(line).toContain(`--${o.long}`);
    }
  });

  test.prop([fc.array(fc.oneof(fc.constantFrom(...COMMANDS.flatMap((c) => [...c.path, ...c.options.map((o) => `--${o.long}`)]), '-n', '-h', '--', '-', 'compute', 'x'), fc.string()), { maxLength: 6 })], { numRuns: 500 })(
    'any argv parses or is a usage error (never another exception)',
    (argv) => {
      try {
        parseCommandLine(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exit).toBe(EXIT.usage);
        expect((error as CliError).message.length).toBeGreaterThan(0);
      }
    },
  );
});
