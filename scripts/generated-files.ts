// Every generator here writes files that are committed, and with --check
// fails instead when a committed file differs, so CI catches a change whose
// generated files were not regenerated. This is that write-or-check, once.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes each [file, text] that differs, or with --check on the command line lists them and exits 1; `what` and `rerun` go into that message. */
export function writeOrCheck(files: readonly (readonly [string, string])[], what: string, rerun: string): void {
  const stale = files.filter(([file, text]) => current(file) !== text);
  if (!process.argv.includes('--check')) {
    for (const [file, text] of stale) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return;
  }
  if (stale.length > 0) {
    console.error(`${what} out of date; run \`${rerun}\` and commit:\n  ${stale.map(([file]) => file).join('\n  ')}`);
    process.exit(1);
  }
}

function current(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
