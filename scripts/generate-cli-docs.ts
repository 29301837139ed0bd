// Writes docs/cli.md and docs/mode.1 from the command table; with --check it
// fails when the committed files differ (test/cli/docs.test.ts runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { manPage } from '../cli/docs/man.ts';
import { cliMarkdown } from '../cli/docs/markdown.ts';
import { version } from '../cli/version.ts';

const files: [string, string][] = [
  [fileURLToPath(new URL('../docs/cli.md', import.meta.url)), cliMarkdown()],
  [fileURLToPath(new URL('../docs/mode.1', import.meta.url)), manPage(version)],
];
const current = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
if (process.argv.includes('--check')) {
  const stale = files.filter(([file, text]) => current(file) !== text).map(([file]) => file);
  if (stale.length > 0) {
    console.error(`CLI docs out of date; run \`npx node scripts/generate-cli-docs.ts\` and commit:\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
} else {
  for (const [file, text] of files) writeFileSync(file, text);
}
