// Timestamps as recorded (UTC, ISO 8601) with how long ago, for status lines.
import { formatDuration } from '../text.ts';

/** `short`: only how long ago, for a screen read at a glance (the ISO time stays in --verbose and --json). */
export function when(iso: string, nowMs: number, short = false): string {
  const age = nowMs - Date.parse(iso);
  if (!Number.isFinite(age)) return iso;
  if (age < 0) return `${iso} (in the future: check the clock)`;
  return short ? `${formatDuration(age)} ago` : `${iso} (${formatDuration(age)} ago)`;
}
