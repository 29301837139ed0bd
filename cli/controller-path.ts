// Which command lines run from the controller bundle (dist/cli/controller.cjs,
// made by scripts/build-cli.ts): what the units run, `mode run <mode>`
// (mode-controller@.service), `mode boot` (mode-boot.service) and `mode cancel
// --by <user>` (mode-cancel@.service), whose modules would otherwise come as
// ~46 ES module chunks through Node's ESM loader (issue 17: a run's peak RSS
// and its start, docs/cli.md, "Speed"). Any command line of those verbs may
// take it, since the bundle holds all of each verb (its help too).
export const CONTROLLER_VERBS: readonly string[] = ['run', 'boot', 'cancel'];

export function takesControllerPath(argv: readonly string[]): boolean {
  const verb = argv[0];
  return verb !== undefined && CONTROLLER_VERBS.includes(verb);
}
