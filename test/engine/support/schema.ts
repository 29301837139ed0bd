// What the engine writes, checked against the published schemas.
export { schemaErrors } from '../../support/schema-errors.ts';
