// What a tool call left behind: its argv, how it ended, its output lines. Its
// own module, without the rest of records.ts: the observers' audio-state
// schema needs it, and `mode current --refresh` builds the record schemas
// (records.ts, facts.ts: ~13 ms of zod at load) while the tools run, not
// before it can start them (docs/cli.md, "Speed"). records.ts re-exports it.
import * as z from 'zod';

export const CommandEvidence = z.strictObject({
  argv: z.array(z.string()),
  exitCode: z.int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  stdout: z.array(z.string()),
  stderr: z.array(z.string()),
  durationMs: z.number(),
});
export type CommandEvidence = z.infer<typeof CommandEvidence>;
