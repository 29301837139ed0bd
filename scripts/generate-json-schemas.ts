// Writes schemas/json/<name>.schema.json from the zod schemas; with --check,
// fails when a committed file differs (so the published files never drift).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFor } from '../schemas/json-schema.ts';
import { PUBLISHED_SCHEMAS } from '../schemas/published.ts';

const outDir = fileURLToPath(new URL('../schemas/json/', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(outDir, { recursive: true });
for (const name of Object.keys(PUBLISHED_SCHEMAS)) {
  const file = `${outDir}${name}.schema.json`;
  const text = `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`;
  let current: string | null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = null;
  }
  if (current === text) continue;
  if (check) stale.push(file);
  else writeFileSync(file, text);
}
if (stale.length > 0) {
  console.error(`JSON Schemas out of date; run \`npm run schemas\` and commit:\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
