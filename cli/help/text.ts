// --help for the whole command and for each verb, rendered from the table.
import { EXIT, EXIT_MEANING, type ExitName } from '../exit-codes.ts';
import type { Paint } from '../color.ts';
import { usageLine } from '../parse.ts';
import type { CommandSpec, OptionSpec } from '../command.ts';
import { COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS, commandName } from '../table.ts';
import { columns, wrap } from '../text.ts';

const WIDTH = 80;

export const TAGLINE = 'switch this workstation between desktop, studio-local and compute, and prove it';

export const FILES: readonly { path: string; meaning: string }[] = [
  { path: '/etc/dubnium/config.json', meaning: 'the controller config, written by the NixOS module' },
  { path: '/run/mode-controller/', meaning: 'desired.json, last-transition.json, last-guards.json, the last observation, the lock' },
  { path: '/var/lib/mode-controller/events.jsonl', meaning: 'the audit log (mode history)' },
  { path: '/etc/polkit-1/rules.d/50-mode-controller.rules', meaning: 'lets the group modectl start mode-controller@<mode>.service' },
];

export const optionLabel = (o: OptionSpec): string =>
  `${o.short ? `-${o.short}, ` : ''}--${o.long}${o.value ? ` ${o.value.name}` : ''}`;

const exitRows = (names: readonly ExitName[]): [string, string][] =>
  [...names].sort((a, b) => EXIT[a] - EXIT[b]).map((name) => [String(EXIT[name]), EXIT_MEANING[name]]);

export function verbHelp(command: CommandSpec, p: Paint): string {
  const lines = [
    `${p.bold(`mode ${commandName(command)}`)} - ${command.summary}`,
    '',
    `${p.bold('Usage:')} ${usageLine(command)}`,
    '',
    ...command.description.flatMap((para) => [...wrap(para, WIDTH), '']),
  ];
  if (command.arguments.length > 0) {
    lines.push(p.bold('Arguments:'));
    lines.push(...columns(command.arguments.map((a) => [`<${a.name}>`, `${a.summary}${a.choices ? ` (${a.choices.join(', ')})` : ''}`])), '');
  }
  lines.push(p.bold('Options:'));
  lines.push(...columns([...command.options, ...GLOBAL_OPTIONS].map((o) => [optionLabel(o), o.summary])), '');
  lines.push(p.bold('Exit status:'), ...columns(exitRows(command.exits)), '');
  if (command.jsonSchema) lines.push(`${p.bold('JSON output:')} schemas/json/${command.jsonSchema}.schema.json`, '');
  lines.push(p.bold('Examples:'), ...command.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}

export function groupHelp(group: string, commands: readonly CommandSpec[], p: Paint): string {
  return [
    `${p.bold(`mode ${group}`)} needs a subcommand:`,
    ...columns(commands.map((c) => [commandName(c), c.summary])),
    '',
    `See mode help ${commandName(commands[0]!)}.`,
    '',
  ].join('\n');
}

export function topHelp(p: Paint): string {
  return [
    `${p.bold('mode')} - ${TAGLINE}`,
    '',
    `${p.bold('Usage:')} mode <verb> [arguments] [options]`,
    '',
    p.bold('Verbs:'),
    ...columns(COMMANDS.filter((c) => !c.internal).map((c) => [commandName(c), c.summary])),
    '',
    p.bold('Run by the systemd units:'),
    ...columns(COMMANDS.filter((c) => c.internal).map((c) => [commandName(c), c.summary])),
    '',
    p.bold('Options of every verb:'),
    ...columns([...GLOBAL_OPTIONS.map((o) => [optionLabel(o), o.summary] as [string, string]), ['--version', 'print the version and exit']]),
    '',
    p.bold('Exit status:'),
    ...columns(exitRows(Object.keys(EXIT) as ExitName[])),
    '',
    p.bold('Environment:'),
    ...columns(ENVIRONMENT.map((e) => [e.name, e.meaning])),
    '',
    p.bold('Files:'),
    ...FILES.flatMap((f) => [`  ${f.path}`, ...wrap(f.meaning, WIDTH, '      ')]),
    '',
    'Run `mode help <verb>` or `mode <verb> --help` for the arguments, options, exit statuses and JSON schema of a verb.',
    '',
  ].join('\n');
}
