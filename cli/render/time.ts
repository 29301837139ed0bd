// Timestamps as recorded (UTC, ISO 8601) with how long ago, for status lines.
import { formatDuration } from '../text.ts';

export function when(iso: string, nowMs: number): string {
  const age = nowMs - Date.parse(iso);
  if (!Number.isFinite(age)) return iso;
  if (age < 0) return `${iso} (in the future: check the clock)`;
  return `${iso} (${formatDuration(age)} ago)`;
}
