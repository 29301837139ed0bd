// The kernel's boot id tells records of one boot from the next: audit order is
// seq + bootId, never wall time, which can jump (NTP step, bad RTC).
import { readFile } from 'node:fs/promises';

export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

/** null when the file cannot be read (not Linux, /proc hidden); records then say so. */
export async function readBootId(path: string = BOOT_ID_PATH): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return /^[0-9a-f-]{36}$/.test(text) ? text : null;
  } catch {
    return null;
  }
}
