// Validates a CLI output against its published JSON Schema with ajv, the way
// a script consuming `mode ... --json` would.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { jsonSchemaFor } from '../../../schemas/json-schema.ts';

const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new Map<string, ValidateFunction>();

/** The ajv errors of `data` against schemas/json/<name>.schema.json; [] when valid. */
export function schemaErrors(name: string, data: unknown): unknown[] {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(jsonSchemaFor(name));
    compiled.set(name, validate);
  }
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
