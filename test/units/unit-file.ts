// A reader for systemd unit files, just enough to check our own units: every
// line is a section header, a comment, a blank, or KEY=VALUE. systemd has no
// trailing comments, so `KEY=value # why` is reported as a bad line here.
export type UnitLine =
  | { kind: 'blank'; line: number }
  | { kind: 'comment'; line: number; text: string }
  | { kind: 'section'; line: number; name: string }
  | { kind: 'setting'; line: number; section: string; key: string; value: string }
  | { kind: 'bad'; line: number; text: string; problem: string };

const SECTION = /^\[([A-Za-z]+)\]$/;
const SETTING = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/;
// whitespace then # or ; inside a value: systemd would keep it as part of the value
const TRAILING_COMMENT = /\s[#;]/;

export function readUnitFile(text: string): UnitLine[] {
  let section = '';
  return text.split('\n').map((raw, index): UnitLine => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return { kind: 'blank', line };
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { kind: 'comment', line, text: trimmed.replace(/^[#;]\s?/, '') };
    const header = SECTION.exec(trimmed);
    if (header?.[1]) {
      section = header[1];
      return { kind: 'section', line, name: section };
    }
    const setting = SETTING.exec(raw);
    if (!setting?.[1] || setting[2] === undefined) return { kind: 'bad', line, text: raw, problem: 'not KEY=VALUE, a [Section] or a comment' };
    if (section === '') return { kind: 'bad', line, text: raw, problem: 'setting before the first [Section]' };
    if (TRAILING_COMMENT.test(setting[2])) {
      return { kind: 'bad', line, text: raw, problem: 'trailing comment: systemd keeps it in the value; put the comment on its own line above' };
    }
    if (raw.endsWith('\\')) return { kind: 'bad', line, text: raw, problem: 'line continuation: keep each setting on one line' };
    return { kind: 'setting', line, section, key: setting[1], value: setting[2] };
  });
}

export type Setting = Extract<UnitLine, { kind: 'setting' }>;

export function settings(lines: readonly UnitLine[], section?: string): Setting[] {
  return lines.filter((l): l is Setting => l.kind === 'setting' && (section === undefined || l.section === section));
}

/** All values of `key` in `section`; space-separated list values are split. */
export function values(lines: readonly UnitLine[], section: string, key: string): string[] {
  return settings(lines, section)
    .filter((s) => s.key === key)
    .flatMap((s) => s.value.split(/\s+/).filter((v) => v !== ''));
}

export function single(lines: readonly UnitLine[], section: string, key: string): string | undefined {
  const found = settings(lines, section).filter((s) => s.key === key);
  return found.at(-1)?.value;
}

/** True when the line just above the first `key=` line is a comment: the "why" of that setting. */
export function commentedAbove(lines: readonly UnitLine[], key: string): boolean {
  const index = lines.findIndex((l) => l.kind === 'setting' && l.key === key);
  return index > 0 && lines[index - 1]?.kind === 'comment';
}

export function commentText(lines: readonly UnitLine[]): string {
  return lines
    .filter((l): l is Extract<UnitLine, { kind: 'comment' }> => l.kind === 'comment')
    .map((l) => l.text)
    .join('\n');
}
