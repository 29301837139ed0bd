// One place turns a published zod schema into JSON Schema, so the generated
// files and the ajv checks in tests can never disagree.
import * as z from 'zod';
import { PUBLISHED_SCHEMAS } from './published.ts';

export const SCHEMA_ID_BASE = 'https://dubnium.invalid/schemas/';

export function jsonSchemaFor(name: string): Record<string, unknown> {
  const schema = PUBLISHED_SCHEMAS[name];
  if (!schema) throw new Error(`no published schema named ${name}`);
  // Records are what we write (output); config is what a person writes (input, defaults optional).
  const io = name === 'config' ? 'input' : 'output';
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  return { ...json, $id: `${SCHEMA_ID_BASE}${name}.schema.json`, title: name };
}
