// Value conventions of systemd's property output. An unset weight prints as
// `[not set]` (systemd 252) or as UINT64_MAX, 18446744073709551615 (older
// versions); both mean "not set", never a number.
const UINT64_MAX = '18446744073709551615';

export type WeightValue = { ok: true; value: number | null } | { ok: false; message: string };

export function parseWeight(raw: string): WeightValue {
  const value = raw.trim();
  if (value === '' || value === '[not set]' || value === UINT64_MAX) return { ok: true, value: null };
  if (/^\d{1,6}$/.test(value)) return { ok: true, value: Number(value) };
  return { ok: false, message: `expected a weight (1-10000), "[not set]" or ${UINT64_MAX}, got ${JSON.stringify(value.slice(0, 40))}` };
}

/** systemd's yes/no booleans; anything else is not a boolean. */
export function parseYesNo(raw: string | undefined): boolean | null {
  if (raw === 'yes' || raw === 'true') return true;
  if (raw === 'no' || raw === 'false') return false;
  return null;
}
