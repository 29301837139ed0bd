// The CLI's --json outputs checked against their published schemas.
export { schemaErrors } from '../../support/schema-errors.ts';
