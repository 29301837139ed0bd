// argv -> the command of the table and its typed values, or a usage error
// that names the problem and what to do. Driven entirely by cli/table.ts.
import { MODES, OBSERVED_ONLY_MODES } from '../schemas/modes.ts';
import { usageError } from './errors.ts';
import type { ArgumentSpec, CommandSpec, Invocation, OptionSpec, ValueSpec } from './command.ts';
import { COMMANDS, GLOBAL_OPTIONS, VERBS, commandName } from './table.ts';
import { describeError } from '../shared/describe-error.ts';

// node:util by getBuiltinModule, not import: an ES module import of a builtin builds its facade, which
// reads every export, and node:util's lazy ones load Node's diff and MIME modules (issue 17)
const { parseArgs } = process.getBuiltinModule('node:util');

/** What the entry point should do with argv. */
export type Parsed =
  | { kind: 'top-help' }
  | { kind: 'version' }
  | { kind: 'group-help'; group: string; commands: readonly CommandSpec[] }
  | { kind: 'run'; invocation: Invocation };

export const optionsOf = (command: CommandSpec): readonly OptionSpec[] => [...command.options, ...GLOBAL_OPTIONS];

/** The command whose path is the longest prefix of argv's leading words. */
function findCommand(words: readonly string[]): { command: CommandSpec; consumed: number } | null {
  let best: { command: CommandSpec; consumed: number } | null = null;
  for (const command of COMMANDS) {
    const matches = command.path.every((word, i) => words[i] === word);
    if (matches && (!best || command.path.length > best.consumed)) best = { command, consumed: command.path.length };
  }
  return best;
}

export function parseCommandLine(argv: readonly string[]): Parsed {
  const first = argv[0];
  if (first === undefined || first === '-h' || first === '--help') return { kind: 'top-help' };
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (first.startsWith('-')) {
    throw usageError(`'${first}' is not a verb; options go after the verb`, ['usage: mode <verb> [options]; see mode --help']);
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.path[0] === first);
    if (group.length > 0) {
      const second = argv[1];
      if (second === undefined || second === '-h' || second === '--help') return { kind: 'group-help', group: first, commands: group };
      throw usageError(`unknown command 'mode ${first} ${second}'`, [`valid: ${group.map(commandName).join(', ')}`]);
    }
    throw usageError(`unknown verb '${first}'`, [`valid verbs: ${VERBS.join(', ')}`, 'see mode --help']);
  }
  return { kind: 'run', invocation: parseInvocation(found.command, argv.slice(found.consumed)) };
}

function parseInvocation(command: CommandSpec, words: readonly string[]): Invocation {
  const name = commandName(command);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const option of optionsOf(command)) {
    config[option.long] = option.short ? { type: option.value ? 'string' : 'boolean', short: option.short } : { type: option.value ? 'string' : 'boolean' };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...words], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(describeParseArgsError(error, name), [`see mode ${name} --help`]);
  }
  const help = parsed.values.help === true;
  const options: Record<string, string | boolean | undefined> = { ...parsed.values };
  if (!help) {
    for (const option of optionsOf(command)) {
      const value = options[option.long];
      if (option.value && typeof value === 'string') checkValue(option.value, value, `--${option.long}`, name);
    }
  }
  const { args, rest } = help ? { args: {}, rest: [] } : bindArguments(command, parsed.positionals);
  return { command, options, args, rest, help };
}

function bindArguments(command: CommandSpec, positionals: readonly string[]): { args: Record<string, string | undefined>; rest: string[] } {
  const name = commandName(command);
  const args: Record<string, string | undefined> = {};
  const specs = command.arguments;
  const last = specs[specs.length - 1];
  const rest = last?.variadic ? positionals.slice(specs.length - 1) : [];
  if (!last?.variadic && positionals.length > specs.length) {
    throw usageError(`unexpected argument '${positionals[specs.length]}' to mode ${name}`, [`usage: ${usageLine(command)}`]);
  }
  specs.forEach((spec, i) => {
    const value = spec.variadic ? rest[0] : positionals[i];
    if (value === undefined) {
      if (spec.required) throw usageError(`mode ${name} needs <${spec.name}>${spec.choices ? `: one of ${spec.choices.join(', ')}` : ''}`, [`usage: ${usageLine(command)}`]);
      return;
    }
    if (!spec.variadic) checkValue(spec, value, `<${spec.name}>`, name);
    args[spec.name] = value;
  });
  return { args, rest };
}

function checkValue(spec: ValueSpec, value: string, label: string, command: string): void {
  // A mode value is checked where the table lists the modes as its choices (`run` leaves
  // them out on purpose: it refuses an unknown instance itself, and audits the refusal).
  if (spec.complete === 'modes' && spec.choices && !(MODES as readonly string[]).includes(value)) {
    const observedOnly = (OBSERVED_ONLY_MODES as readonly string[]).includes(value);
    throw usageError(
      observedOnly ? `'${value}' is an observed state, not a mode that can be requested` : `unknown mode '${value}'`,
      [`valid modes: ${MODES.join(', ')}`],
    );
  }
  if (spec.choices && !spec.choices.includes(value)) {
    throw usageError(`${label} of mode ${command} must be one of ${spec.choices.join(', ')} (got '${value}')`);
  }
  if (spec.integer) {
    const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < spec.integer.min || n > spec.integer.max) {
      throw usageError(`${label} must be a whole number from ${spec.integer.min} to ${spec.integer.max} (got '${value}')`);
    }
  }
}

function describeParseArgsError(error: unknown, command: string): string {
  const code = (error as { code?: unknown }).code;
  const message = describeError(error);
  const option = /'(-[^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}' for mode ${command}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const long = /--[a-z][a-z-]*/.exec(option)?.[0] ?? option;
    return message.includes('argument missing') ? `option '${long}' of mode ${command} needs a value` : `option '${long}' of mode ${command} takes no value`;
  }
  return `cannot read the command line of mode ${command}: ${message}`;
}

export function usageLine(command: CommandSpec): string {
  const options = command.options.map((o) => `[--${o.long}${o.value ? ` ${o.value.name}` : ''}]`);
  const args = command.arguments.map((a: ArgumentSpec) => {
    const word = a.variadic ? `${a.name}...` : a.name;
    return a.required ? `<${word}>` : `[${word}]`;
  });
  return ['mode', ...command.path, ...args, ...options].join(' ');
}

/** Reads a flag of a parsed invocation. */
export const flag = (inv: Invocation, name: string): boolean => inv.options[name] === true;
/** Reads a string option of a parsed invocation. */
export const optionValue = (inv: Invocation, name: string): string | undefined => {
  const value = inv.options[name];
  return typeof value === 'string' ? value : undefined;
};
