// Which command lines run from the read-only bundle (dist/cli/read-only.cjs,
// made by scripts/build-cli.ts): one file with all that status, current and
// desired need, so that their start loads one module instead of twenty
// chunks (docs/cli.md, "Speed"). `current --refresh` runs from the
// observation bundle (cli/observation-path.ts), and `history`, which checks
// every event of the audit log with ajv's validator and would bring all of it
// into the bundle, from the full, code-split CLI. All of them run the same
// main(); the source form (node cli/mode.ts) has no bundle and loads the same
// modules either way.
export const READ_ONLY_VERBS: readonly string[] = ['status', 'current', 'desired'];

export function takesReadOnlyPath(argv: readonly string[]): boolean {
  const verb = argv[0];
  if (verb === undefined || !READ_ONLY_VERBS.includes(verb)) return false;
  return verb !== 'current' || !argv.includes('--refresh');
}
