// mode(1), generated from the command table: the same text as --help, in roff.
import { EXIT, EXIT_MEANING, type ExitName } from '../exit-codes.ts';
import { FILES, TAGLINE, optionLabel } from '../help/text.ts';
import { usageLine } from '../parse.ts';
import type { CommandSpec } from '../command.ts';
import { COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS } from '../table.ts';

/** Text safe in roff: backslashes doubled, hyphens as minus signs, no control word at a line start. */
export function roff(text: string): string {
  const escaped = text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

const bold = (text: string): string => `\\fB${roff(text)}\\fR`;

function commandSection(command: CommandSpec): string[] {
  const lines = ['.TP', bold(usageLine(command)), ...command.description.flatMap((para, i) => (i === 0 ? [roff(para)] : ['.IP', roff(para)]))];
  for (const a of command.arguments) lines.push('.RS', '.TP', `\\fI${roff(`<${a.name}>`)}\\fR`, roff(`${a.summary}${a.choices ? ` (${a.choices.join(', ')})` : ''}`), '.RE');
  for (const o of command.options) lines.push('.RS', '.TP', bold(optionLabel(o)), roff(o.summary), '.RE');
  lines.push('.RS', '.PP', roff(`Exit status: ${command.exits.map((e) => `${EXIT[e]} (${e})`).join(', ')}.${command.jsonSchema ? ` JSON: schemas/json/${command.jsonSchema}.schema.json.` : ''}`), '.RE');
  for (const example of command.examples) lines.push('.RS', '.PP', `\\f(CW${roff(example)}\\fR`, '.RE');
  return lines;
}

export function manPage(version: string): string {
  const exits = (Object.keys(EXIT) as ExitName[]).sort((a, b) => EXIT[a] - EXIT[b]);
  const lines = [
    '.\\" Generated from cli/table.ts by scripts/generate-cli-docs.ts; do not edit.',
    `.TH MODE 1 "" "mode ${version}" "Dubnium"`,
    '.SH NAME',
    `mode \\- ${roff(TAGLINE)}`,
    '.SH SYNOPSIS',
    ...COMMANDS.filter((c) => !c.internal).flatMap((c) => [bold(usageLine(c)), '.br']),
    '.SH DESCRIPTION',
    roff('mode asks the Dubnium mode controller to switch the workstation between desktop, studio-local and compute, and shows what it observes. Every verb accepts these options:'),
    ...GLOBAL_OPTIONS.flatMap((o) => ['.TP', bold(optionLabel(o)), roff(o.summary)]),
    '.SH COMMANDS',
    ...COMMANDS.filter((c) => !c.internal).flatMap(commandSection),
    '.SS Run by the systemd units',
    ...COMMANDS.filter((c) => c.internal).flatMap(commandSection),
    '.SH EXIT STATUS',
    ...exits.flatMap((e) => ['.TP', bold(String(EXIT[e])), roff(EXIT_MEANING[e])]),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.flatMap((e) => ['.TP', bold(e.name), roff(e.meaning)]),
    '.SH FILES',
    ...FILES.flatMap((f) => ['.TP', `\\fI${roff(f.path)}\\fR`, roff(f.meaning)]),
    '.SH SEE ALSO',
    roff('systemctl(1), loginctl(1), nvidia-smi(1), docs/cli.md'),
    '',
  ];
  return lines.join('\n');
}
