// The command table seen from a shell: which words take a value and what to
// offer for each value. The three generators share this view.
import { MODES } from '../../schemas/modes.ts';
import { optionsOf } from '../parse.ts';
import type { CommandSpec, OptionSpec, ValueSpec } from '../command.ts';
import { COMMANDS, VERBS } from '../table.ts';

/** The commands a shell offers: not the ones only the systemd units run. */
export const SHELL_COMMANDS: readonly CommandSpec[] = COMMANDS.filter((c) => !c.internal);

/** Words a value completion offers, or 'files' for file names. */
export type Offer = { kind: 'words'; words: readonly string[] } | { kind: 'files' } | { kind: 'nothing' };

export function offerFor(value: ValueSpec): Offer {
  switch (value.complete) {
    case 'modes':
      return { kind: 'words', words: MODES };
    case 'choices':
      return { kind: 'words', words: value.choices ?? [] };
    case 'verbs':
      return { kind: 'words', words: VERBS };
    case 'files':
      return { kind: 'files' };
    case 'none':
      return { kind: 'nothing' };
  }
}

export const optionWords = (o: OptionSpec): string[] => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])];

/** Every option word that takes a value, across all commands (to skip its value when counting positionals). */
export const valuedOptionWords = (): string[] => [
  ...new Set(SHELL_COMMANDS.flatMap((c) => optionsOf(c).filter((o) => o.value).flatMap(optionWords))),
];

/** Subcommands of a group word such as `debug`; empty for plain verbs. */
export const subcommandsOf = (verb: string): CommandSpec[] =>
  SHELL_COMMANDS.filter((c) => c.path[0] === verb && c.path.length > 1);

export const summaryOfVerb = (verb: string): string => {
  const commands = SHELL_COMMANDS.filter((c) => c.path[0] === verb);
  return commands.length === 1 && commands[0]!.path.length === 1 ? commands[0]!.summary : `${commands.map((c) => c.path.slice(1).join(' ')).join(', ')}`;
};
