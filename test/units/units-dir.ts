// The project's units as the tests see them: file names and parsed lines,
// read from units/ (the single source of truth the Nix package installs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUnitFile, type UnitLine } from './unit-file.ts';

export const UNITS_DIR = join(import.meta.dirname, '..', '..', 'units');

const UNIT_SUFFIX = /\.(service|target|slice|socket|timer|path|mount)$/;

export function unitFileNames(): string[] {
  return readdirSync(UNITS_DIR)
    .filter((name) => UNIT_SUFFIX.test(name))
    .sort();
}

export function unitText(name: string): string {
  return readFileSync(join(UNITS_DIR, name), 'utf8');
}

export function unitLines(name: string): UnitLine[] {
  return readUnitFile(unitText(name));
}

/** systemd time spans as used in our units: "30min", "45s", "1h 30min", "500ms", or bare seconds. */
export function timespanMs(text: string): number {
  const factors: Record<string, number> = { us: 0.001, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([a-z]*)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed.replace(/\s/g, '') !== text.replace(/\s/g, '')) {
    throw new Error(`"${text}" is not a time span this test understands (e.g. 30min, 45s)`);
  }
  return parts.reduce((sum, [, amount, unit]) => {
    const factor = factors[unit === '' || unit === undefined ? 's' : unit];
    if (factor === undefined) throw new Error(`unknown time unit "${String(unit)}" in "${text}"`);
    return sum + Number(amount) * factor;
  }, 0);
}
