// Validates data against a published JSON Schema (schemas/json/<name>.schema.json,
// generated from zod; `npm run schemas:check` keeps them equal) with ajv, the way
// a program reading our records or `--json` output would.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is not a dependency; this checks the shape zod's z.iso.datetime() writes,
// so date-time fields are validated instead of ignored with a warning.
ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)));
const compiled = new Map<string, ValidateFunction>();

/** ajv's errors for `data` against schemas/json/<name>.schema.json; [] when it conforms. */
export function schemaErrors(name: string, data: unknown): unknown[] {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL(`../../schemas/json/${name}.schema.json`, import.meta.url), 'utf8')) as object;
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  // Round-trip through JSON: what is checked is what lands in the file or on stdout.
  return validate(JSON.parse(JSON.stringify(data))) ? [] : [...(validate.errors ?? [])];
}
