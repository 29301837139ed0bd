// The completion scripts are generated from the command table; here each is
// loaded into its real shell and asked to complete, so a quoting slip or a
// verb missing from the table shows up as a wrong answer.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashCompletion } from '../../cli/completions/bash.ts';
import { fishCompletion } from '../../cli/completions/fish.ts';
import { zshCompletion } from '../../cli/completions/zsh.ts';
import { SHELL_COMMANDS } from '../../cli/completions/model.ts';
import { DEBUG_SOURCES, EXPLAIN_FORMATS, VERBS } from '../../cli/table.ts';
import { MODES } from '../../schemas/modes.ts';
import { runCli } from './support/cli.ts';

const has = (shell: string): boolean => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dubnium-completions-'));
  writeFileSync(join(dir, 'a-file.json'), '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** COMPREPLY after completing the last word of `line` (split on spaces; a trailing space starts a new word). */
function bashComplete(line: string): string[] {
  const words = line.split(' ');
  const script = `${bashCompletion()}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; cd '${dir}'; _mode; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  it('offers the verbs', () => {
    expect(bashComplete('mode ')).toEqual([...VERBS, '--help', '--version'].sort());
    expect(bashComplete('mode st')).toEqual(['status']);
  });

  it('offers the modes where a mode goes, and only there', () => {
    expect(bashComplete('mode request ')).toEqual([...MODES].sort());
    expect(bashComplete('mode explain com')).toEqual(['compute']);
    expect(bashComplete('mode guards compute ')).toEqual([]);
    expect(bashComplete('mode explain --format dot ')).toEqual([...MODES].sort());
  });

  it('offers option names and option values', () => {
    expect(bashComplete('mode history --')).toEqual(['--config', '--help', '--json', '--lines'].sort());
    expect(bashComplete('mode explain compute --format ')).toEqual([...EXPLAIN_FORMATS].sort());
    expect(bashComplete('mode status --config a-')).toEqual(['a-file.json']);
  });

  it('walks into two-word commands', () => {
    expect(bashComplete('mode debug ')).toEqual(['parse']);
    expect(bashComplete('mode debug parse ')).toEqual([...DEBUG_SOURCES].sort());
    expect(bashComplete('mode debug parse meminfo a')).toEqual(['a-file.json']);
    expect(bashComplete('mode help ')).toEqual([...VERBS].sort());
    expect(bashComplete('mode help debug ')).toEqual(['parse']);
    expect(bashComplete('mode completions ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe.skipIf(!has('fish'))('fish completion', () => {
  const fishComplete = (line: string): string[] => {
    const file = join(dir, 'mode.fish');
    writeFileSync(file, fishCompletion());
    const out = execFileSync('fish', ['--no-config', '-c', `source '${file}'; cd '${dir}'; complete -C '${line}'`], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!).sort();
  };

  it('parses (fish -n)', () => {
    const file = join(dir, 'check.fish');
    writeFileSync(file, fishCompletion());
    expect(spawnSync('fish', ['--no-config', '-n', file], { encoding: 'utf8' }).stderr).toBe('');
  });

  it('offers verbs, modes, option values and subcommands', () => {
    expect(fishComplete('mode ')).toEqual([...VERBS].sort());
    expect(fishComplete('mode request ')).toEqual([...MODES].sort());
    expect(fishComplete('mode request compute ')).toEqual([]);
    expect(fishComplete('mode explain compute --format ')).toEqual([...EXPLAIN_FORMATS].sort());
    expect(fishComplete('mode debug ')).toEqual(['parse']);
    expect(fishComplete('mode debug parse ')).toEqual([...DEBUG_SOURCES].sort());
    expect(fishComplete('mode history --')).toEqual(['--config', '--help', '--json', '--lines'].sort());
  });
});

describe.skipIf(!has('zsh'))('zsh completion', () => {
  it('parses (zsh -n) and defines _mode for every command', () => {
    const file = join(dir, '_mode');
    const script = zshCompletion();
    writeFileSync(file, script);
    const check = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    for (const command of SHELL_COMMANDS) expect(script).toContain(`'${command.path.join(' ')}')`);
  });

  it('loads under compinit and registers itself for mode', () => {
    const file = join(dir, '_mode');
    writeFileSync(file, zshCompletion());
    const out = execFileSync('zsh', ['-f', '-c', `fpath=('${dir}' $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[mode]`], { encoding: 'utf8' });
    expect(out.trim()).toBe('_mode');
  });
});

describe('mode completions', () => {
  it('prints the same script as the generator, for each shell', async () => {
    for (const [shell, generate] of [['bash', bashCompletion], ['zsh', zshCompletion], ['fish', fishCompletion]] as const) {
      const result = await runCli(['completions', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(generate());
    }
    expect((await runCli(['completions', 'tcsh'])).code).toBe(2);
  });
});
