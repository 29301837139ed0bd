// Where a cold `mode status` / `mode current --refresh` spends its time:
// node --cpu-prof over several runs of the shipped form, summarized by
// self time per function and per module.
import { summarizeProfiles, type ProfileSummary } from '../lib/cpu-profile.ts';
import { insideRepo, operatorEnv, profileFolder, runPlan, step, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { INSIDE_NODE, INSIDE_REPO } from '../../test/sandbox/layout.ts';
import { DOMAIN_EXITS } from './cold-start.ts';

const VERBS: Record<string, string[]> = {
  status: ['status'],
  'current --json --refresh': ['current', '--json', '--refresh'],
};

export async function profileColdStarts(sandbox: ControllerSandbox, cliEntry: string, runs: number): Promise<Record<string, ProfileSummary>> {
  const folders = Object.fromEntries(Object.keys(VERBS).map((verb) => [verb, profileFolder(sandbox, verb.split(' ')[0] ?? verb)]));
  await runPlan(
    sandbox,
    {
      rounds: runs,
      warmupRounds: 0,
      timeoutMs: 120_000,
      cases: Object.entries(VERBS).map(([verb, args]) => ({
        id: verb,
        steps: [step([INSIDE_NODE, '--cpu-prof', `--cpu-prof-dir=${folders[verb]?.inside ?? ''}`, insideRepo(cliEntry), ...args], operatorEnv(sandbox), DOMAIN_EXITS)],
      })),
    },
    30 * 60_000,
  );
  const markers = [`${INSIDE_REPO}/${cliEntry.replace(/cli\/mode\.m?[jt]s$/, '')}`, `${INSIDE_REPO}/`];
  return Object.fromEntries(Object.keys(VERBS).map((verb) => [`mode ${verb} (shipped)`, summarizeProfiles(folders[verb]?.read() ?? [], markers)]));
}
