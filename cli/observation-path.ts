// Which command lines run from the observation bundle (dist/cli/observation.cjs,
// made by scripts/build-cli.ts): `mode current --refresh`, whose observers,
// predicates and zod would otherwise come as ~20 ES module chunks through
// Node's ESM loader, a tenth of its cold start (docs/cli.md, "Speed"). Any
// `current` command line may take it, since the bundle holds all of that verb
// (help, the recorded path); only `--refresh` needs it.
export const OBSERVATION_VERB = 'current';

export function takesObservationPath(argv: readonly string[]): boolean {
  return argv[0] === OBSERVATION_VERB && argv.includes('--refresh');
}
