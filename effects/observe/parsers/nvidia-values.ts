// nvidia-smi's ways of saying "no value": `N/A`, `[N/A]`, `[Not Supported]`,
// `[Requested functionality has been deprecated]`, `[Unknown Error]`,
// `[Insufficient Permissions]`, ... Each one is null, never 0: a memory
// reading of 0 would tell a guard that a GPU is free.
const BARE_NULLS = new Set(['N/A', 'Not Supported', 'Requested functionality has been deprecated', 'Unknown Error', 'Insufficient Permissions', 'GPU requires reset', 'Not Available', '']);

export function isNvidiaNull(raw: string): boolean {
  const value = raw.trim();
  return BARE_NULLS.has(value) || /^\[[^\]]*\]$/.test(value);
}

const TO_MIB: Record<string, number> = { B: 1 / (1024 * 1024), KiB: 1 / 1024, MiB: 1, GiB: 1024, TiB: 1024 * 1024 };

export type Measured = { ok: true; value: number | null } | { ok: false; message: string };

/** "9218 MiB" → 9218; a bare number is read in `bareUnit` (the CSV header's unit) when one is known. */
export function parseMiB(raw: string, bareUnit: string | null): Measured {
  if (isNvidiaNull(raw)) return { ok: true, value: null };
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)?$/.exec(raw.trim());
  if (!match) return { ok: false, message: `expected a memory size such as "9218 MiB", got ${JSON.stringify(raw.trim().slice(0, 40))}` };
  const unit = match[2] ?? bareUnit;
  if (unit === null || unit === undefined) return { ok: false, message: `memory size ${JSON.stringify(raw.trim())} has no unit` };
  const factor = TO_MIB[unit];
  if (factor === undefined) return { ok: false, message: `unknown memory unit ${JSON.stringify(unit)} in ${JSON.stringify(raw.trim())}` };
  return { ok: true, value: Number(match[1]) * factor };
}

/** "Enabled"/"Disabled" (and "Yes"/"No") → boolean; nvidia-smi's null words and anything else → null. */
export function parseEnabled(raw: string | null): boolean | null {
  if (raw === null) return null;
  const value = raw.trim();
  if (value === 'Enabled' || value === 'Yes') return true;
  if (value === 'Disabled' || value === 'No') return false;
  return null;
}

export function textOrNull(raw: string | null): string | null {
  return raw === null || isNvidiaNull(raw) ? null : raw.trim();
}
