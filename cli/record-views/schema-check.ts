// A small JSON Schema check for the read-only verbs' fast path: does a value
// conform to a view's schema (scripts/generate-cli-validators.ts writes the
// schemas it compiles with ajv beside the ajv code)? Walking the schema costs
// a cold `mode status` well under a millisecond, where parsing and compiling
// ajv's standalone code (350 KB for the views and the config) cost ~10 ms.
//
// It only ever says yes for a value ajv accepts: a keyword it does not know,
// or a $ref it cannot follow, is a no, and every no is handed to the ajv
// validator, which decides and names the problem (cli/record-views/read.ts).
// Formats are not checked, as the ajv validators do not check them either
// (the zod JSON Schemas carry a pattern for every date-time); string lengths
// count UTF-16 units, as ajv's unicode: false and zod's .min/.max do.

type Schema = boolean | { readonly [keyword: string]: unknown };

/** Words that describe and never constrain. */
const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'format']);

const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    patterns.set(source, re);
  }
  return re;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
  }
  return false;
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

/** `#` or `#/$defs/<name>` of the root schema; anything else is not followed. */
function resolve(ref: unknown, root: Schema): Schema | undefined {
  if (ref === '#') return root;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/') || typeof root !== 'object') return undefined;
  const defs = root.$defs;
  const name = ref.slice('#/$defs/'.length);
  return isObject(defs) && Object.hasOwn(defs, name) ? (defs[name] as Schema) : undefined;
}

const count = (value: unknown): number => (typeof value === 'number' ? value : NaN);

function keywordHolds(keyword: string, arg: unknown, value: unknown, schema: { readonly [keyword: string]: unknown }, root: Schema): boolean {
  switch (keyword) {
    case 'type':
      return Array.isArray(arg) ? arg.some((t) => hasType(value, t)) : hasType(value, arg);
    case 'const':
      return sameJson(value, arg);
    case 'enum':
      return Array.isArray(arg) && arg.some((allowed) => sameJson(value, allowed));
    case '$ref': {
      const target = resolve(arg, root);
      return target !== undefined && conforms(target, value, root);
    }
    case 'anyOf':
      return Array.isArray(arg) && arg.some((s) => conforms(s as Schema, value, root));
    case 'oneOf':
      return Array.isArray(arg) && arg.filter((s) => conforms(s as Schema, value, root)).length === 1;
    case 'allOf':
      return Array.isArray(arg) && arg.every((s) => conforms(s as Schema, value, root));
    case 'not':
      return !conforms(arg as Schema, value, root);
    // each of the rest constrains one type and lets every other pass
    case 'minLength':
      return typeof value !== 'string' || value.length >= count(arg);
    case 'maxLength':
      return typeof value !== 'string' || value.length <= count(arg);
    case 'pattern':
      return typeof value !== 'string' || (typeof arg === 'string' && pattern(arg).test(value));
    case 'minimum':
      return typeof value !== 'number' || value >= count(arg);
    case 'maximum':
      return typeof value !== 'number' || value <= count(arg);
    case 'exclusiveMinimum':
      return typeof value !== 'number' || value > count(arg);
    case 'exclusiveMaximum':
      return typeof value !== 'number' || value < count(arg);
    case 'minItems':
      return !Array.isArray(value) || value.length >= count(arg);
    case 'maxItems':
      return !Array.isArray(value) || value.length <= count(arg);
    case 'items':
      // without prefixItems (which no view uses), items applies to every element
      return !Array.isArray(value) || (schema.prefixItems === undefined && value.every((item) => conforms(arg as Schema, item, root)));
    case 'required':
      return !isObject(value) || (Array.isArray(arg) && arg.every((key) => typeof key === 'string' && Object.hasOwn(value, key)));
    case 'properties':
      return !isObject(value) || (isObject(arg) && Object.keys(arg).every((key) => !Object.hasOwn(value, key) || conforms(arg[key] as Schema, value[key], root)));
    case 'additionalProperties': {
      if (!isObject(value)) return true;
      const declared = isObject(schema.properties) ? schema.properties : {};
      if (schema.patternProperties !== undefined) return false;
      return Object.keys(value).every((key) => Object.hasOwn(declared, key) || conforms(arg as Schema, value[key], root));
    }
    case 'propertyNames':
      return !isObject(value) || Object.keys(value).every((key) => conforms(arg as Schema, key, root));
    default:
      // a keyword this check does not know: no, and ajv decides
      return false;
  }
}

/** Whether value conforms to schema; root holds the $defs its $refs point into. */
export function conforms(schema: Schema, value: unknown, root: Schema = schema): boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return false;
  for (const keyword of Object.keys(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!keywordHolds(keyword, schema[keyword], value, schema, root)) return false;
  }
  return true;
}
