// Parses `bootctl status`. Sections are unindented "Title:" lines; fields are
// indented "Key: value" lines; a field's continuation lines (the Features
// list) are indented further. "systemd-boot" also appears in the ESP file
// list on machines that boot with something else, so whether systemd-boot
// is in use is read from the Current Boot Loader's Product only.
import type { BootloaderFacts } from '../../../schemas/topology.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

const SECTION = /^([A-Z][A-Za-z0-9 $]*):$/;
const FIELD = /^\s+([A-Za-z][A-Za-z0-9 $]*): ?(.*)$/;

export function parseBootctlStatus(text: string): ParseResult<BootloaderFacts> {
  if (text.trim() === '') return emptyInput('`bootctl status` output');
  const lines = splitLines(text);
  const sections = new Map<string, Map<string, string>>();
  const sectionText = new Map<string, string[]>();
  const notes: string[] = [];
  let current: string | null = null;
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') continue;
    const section = SECTION.exec(line);
    if (section) {
      current = section[1]!;
      if (!sections.has(current)) sections.set(current, new Map());
      continue;
    }
    const field = FIELD.exec(line);
    if (field && current !== null) {
      const fields = sections.get(current)!;
      if (!fields.has(field[1]!)) fields.set(field[1]!, field[2]!.trim());
      continue;
    }
    if (/^\S/.test(line)) {
      if (current === 'System' && line === 'Not booted with EFI') sectionText.set('System', [...(sectionText.get('System') ?? []), line]);
      else notes.push(line);
    }
    // other indented lines continue a field (Features, File trees) and are not needed
  }
  const system = sections.get('System');
  if (system === undefined) {
    const first = lines.findIndex((line) => line.trim() !== '');
    return failAt(lines, first + 1, 'no "System:" section: this is not `bootctl status` output');
  }
  const efiBoot = !(sectionText.get('System') ?? []).includes('Not booted with EFI');
  const loader = sections.get('Current Boot Loader');
  const product = naIsNull(loader?.get('Product'));
  return parseOk({
    efiBoot,
    firmware: naIsNull(system.get('Firmware')),
    secureBoot: naIsNull(system.get('Secure Boot')),
    bootLoader: product,
    systemdBootInUse: !efiBoot ? false : loader === undefined ? null : product !== null && product.startsWith('systemd-boot'),
    espPath: espPathOf(sections.get('Available Boot Loaders on ESP')?.get('ESP')),
    notes,
  });
}

function naIsNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === 'n/a' || trimmed === 'n/a (n/a)' ? null : trimmed;
}

function espPathOf(value: string | undefined): string | null {
  if (value === undefined || value.startsWith('Cannot find')) return null;
  return value.split(' (')[0]!.trim() || null;
}
