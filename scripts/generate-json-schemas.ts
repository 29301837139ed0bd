// Writes schemas/json/<name>.schema.json from the zod schemas; with --check,
// fails when a committed file differs (so the published files never drift).
import { fileURLToPath } from 'node:url';
import { jsonSchemaFor } from '../schemas/json-schema.ts';
import { PUBLISHED_SCHEMAS } from '../schemas/published.ts';
import { writeOrCheck } from './generated-files.ts';

const outDir = fileURLToPath(new URL('../schemas/json/', import.meta.url));
const files = Object.keys(PUBLISHED_SCHEMAS).map((name) => [`${outDir}${name}.schema.json`, `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`] as const);
writeOrCheck(files, 'JSON Schemas', 'npm run schemas');
