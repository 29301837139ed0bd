// Which command lines run from the read-only bundle (dist/cli/read-only.js,
// made by scripts/build-cli.ts): one file with all that status, current and
// desired need, so that their start loads one module instead of twenty
// chunks (docs/cli.md, "Speed"). Everything else runs from the full,
// code-split CLI: `current --refresh` (it loads the observers, the predicates
// and zod), and `history`, which checks every event of the audit log with
// ajv's validator and would bring all of it into the bundle. Both run the same main(); the source form (node cli/mode.ts)
// has no bundle and loads the same modules either way.
export const READ_ONLY_VERBS: readonly string[] = ['status', 'current', 'desired'];

export function takesReadOnlyPath(argv: readonly string[]): boolean {
  const verb = argv[0];
  if (verb === undefined || !READ_ONLY_VERBS.includes(verb)) return false;
  return verb !== 'current' || !argv.includes('--refresh');
}
