// The mode names as plain data, without zod, so that code on the startup path
// of `mode status` (the CLI's command table, completions, help) can name the
// modes without loading a schema library. names.ts builds the zod enums on it.
export const MODES = ['desktop', 'studio-local', 'compute'] as const;
export type Mode = (typeof MODES)[number];

/** Classification can also yield these; nobody can request them. */
export const OBSERVED_ONLY_MODES = ['degraded', 'unknown'] as const;
