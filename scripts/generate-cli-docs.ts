// Writes docs/cli.md and docs/mode.1 from the command table; with --check it
// fails when the committed files differ (test/cli/docs.test.ts runs it).
import { fileURLToPath } from 'node:url';
import { manPage } from '../cli/docs/man.ts';
import { cliMarkdown } from '../cli/docs/markdown.ts';
import { version } from '../cli/version.ts';
import { writeOrCheck } from './generated-files.ts';

const files: [string, string][] = [
  [fileURLToPath(new URL('../docs/cli.md', import.meta.url)), cliMarkdown()],
  [fileURLToPath(new URL('../docs/mode.1', import.meta.url)), manPage(version)],
];
writeOrCheck(files, 'CLI docs', 'npx node scripts/generate-cli-docs.ts');
