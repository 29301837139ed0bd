// The lint that every command a unit runs is named by an absolute path.
// NixOS's systemd resolves a bare name (`true`, `curl`) on its compiled-in
// search path only, which on NixOS holds no such program (there is no
// /usr/bin), and a unit's PATH= plays no part in that lookup: the start fails
// with 203/EXEC. Debian's systemd would find /usr/bin/true, so only this lint
// (not a sandbox boot on Debian) can catch it.
import { settings, type UnitLine } from './unit-file.ts';

/** The settings whose value is one or more command lines (systemd.service(5)). */
export const EXEC_KEYS: ReadonlySet<string> = new Set(['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecStop', 'ExecStopPost', 'ExecReload', 'ExecCondition']);

// systemd.service(5), "Command lines": @ (argv[0] follows), - (failure ignored),
// : (no environment substitution), + (full privileges), ! and !! (no
// credential changes), in any combination
const PREFIXES = /^[-@:+!]+/;

export interface BareExec {
  key: string;
  value: string;
  /** the word that is not an absolute path ('' when a prefix stands alone) */
  program: string;
  problem: string;
}

/** The programs of one Exec*= value: one per command line (a lone `;` separates them), prefixes removed. */
export function execPrograms(value: string): string[] {
  const words = value.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [];
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === ';') commands.push([]);
    else commands.at(-1)?.push(word);
  }
  return commands.filter((command) => command.length > 0).map((command) => (command[0] ?? '').replace(PREFIXES, '').replace(/^"(.*)"$/, '$1'));
}

/** What is wrong with one Exec*= value, if anything; an empty value (the list reset) is fine. */
export function bareExecProblems(key: string, value: string): BareExec[] {
  return execPrograms(value).flatMap((program): BareExec[] => {
    if (program.startsWith('|')) return [{ key, value, program, problem: 'runs through a login shell (|), whose PATH decides which program runs; name the program by its absolute path' }];
    if (program.startsWith('/')) return [];
    const problem =
      program === ''
        ? 'has a prefix but no program'
        : `runs "${program}" by a bare name, which NixOS's systemd cannot resolve (203/EXEC): name it by an absolute path (/usr/lib/dubnium/bin/${program}, linked by nix/install-units.sh)`;
    return [{ key, value, program, problem }];
  });
}

/** Every Exec*= line of a parsed unit or drop-in whose program is not an absolute path. */
export function bareExecLines(lines: readonly UnitLine[]): (BareExec & { line: number })[] {
  return settings(lines)
    .filter((s) => EXEC_KEYS.has(s.key))
    .flatMap((s) => bareExecProblems(s.key, s.value).map((problem) => ({ ...problem, line: s.line })));
}
