// Random UUIDs from the kernel (/proc/sys/kernel/random/uuid: a new v4 UUID at
// each read), for run ids and temp-file names. Not Web Crypto: its first use
// loads Node's crypto and starts OpenSSL, which cost a --jitless controller run
// ~1.7 MB of peak RSS and the old node:crypto ~6 ms (issue 17; a node that also
// spawns: peak 48.0 MB, 49.8 with globalThis.crypto.randomUUID(), 48.0 with
// this read). Where /proc/sys cannot be read, Web Crypto answers.
import { readFileSync } from 'node:fs';

const KERNEL_UUID = '/proc/sys/kernel/random/uuid';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function randomUuid(source: string = KERNEL_UUID): string {
  try {
    const uuid = readFileSync(source, 'utf8').trim();
    if (UUID.test(uuid)) return uuid;
  } catch {
    // no /proc/sys here: below
  }
  return globalThis.crypto.randomUUID();
}

/** Eight random hex digits: a UUID's first group, all of it random bits. */
export const randomHex8 = (): string => randomUuid().slice(0, 8);
