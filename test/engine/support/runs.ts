// How many fast-check runs a property gets. Mutation testing repeats the suite
// for every mutant, so there (ENGINE_QUICK=1, set by vitest.stryker.config.ts)
// each property runs a fifth as often; the default suite and the long run keep
// their full counts.
export const runs = (full: number): number => (process.env.ENGINE_QUICK === '1' ? Math.max(10, Math.round(full / 5)) : full);
