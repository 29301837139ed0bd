// Where a cold `mode status` / `mode current --refresh` spends its time:
// node --cpu-prof over several runs, summarized by self time per function
// and per module: the shipped bundle (the truth, but minified chunk names)
// and the tsc build (one file per source module, so repo code is named).
import { join } from 'node:path';
import type { CliForm } from '../lib/cli-forms.ts';
import { summarizeProfiles, type ProfileSummary } from '../lib/cpu-profile.ts';
import { insideRepo, operatorEnv, profileControllerRuns, profileFolder, runPlan, step, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { INSIDE_NODE, INSIDE_REPO } from '../../test/sandbox/layout.ts';
import { DOMAIN_EXITS } from './cold-start.ts';

const VERBS: Record<string, string[]> = {
  status: ['status'],
  'current --json --refresh': ['current', '--json', '--refresh'],
};

export async function profileColdStarts(sandbox: ControllerSandbox, forms: readonly CliForm[], runs: number): Promise<Record<string, ProfileSummary>> {
  const jobs = forms.flatMap((form) => Object.entries(VERBS).map(([verb, args]) => ({ form, verb, args, folder: profileFolder(sandbox, `${form.name}-${verb.split(' ')[0] ?? verb}`) })));
  await runPlan(
    sandbox,
    {
      rounds: runs,
      warmupRounds: 0,
      timeoutMs: 120_000,
      cases: jobs.map((j) => ({
        id: `${j.form.name} ${j.verb}`,
        steps: [step([INSIDE_NODE, '--cpu-prof', `--cpu-prof-dir=${j.folder.inside}`, insideRepo(j.form.entry), ...j.args], operatorEnv(sandbox), DOMAIN_EXITS)],
      })),
    },
    30 * 60_000,
  );
  return Object.fromEntries(
    jobs.map((j) => {
      const markers = [`${INSIDE_REPO}/${j.form.entry.replace(/cli\/mode\.m?[jt]s$/, '')}`, `${INSIDE_REPO}/`];
      return [`mode ${j.verb} (${j.form.name})`, summarizeProfiles(j.folder.read(), markers)];
    }),
  );
}

/**
 * One studio round trip with both sides profiled: the `mode request` CLI
 * (outside the record) and the controller's `mode run` inside its unit
 * (node --jitless, as packaged). Its runs are not timed.
 */
export async function profileStudioRoundTrip(sandbox: ControllerSandbox, shipped: CliForm, keepIn: string | null): Promise<Record<string, ProfileSummary>> {
  const cli = profileFolder(sandbox, 'request-cli');
  const controller = profileFolder(sandbox, 'request-controller');
  const program = insideRepo(shipped.entry);
  await profileControllerRuns(sandbox, program, ['run', '%i'], controller.inside);
  try {
    const request = (mode: string) => step([INSIDE_NODE, '--cpu-prof', `--cpu-prof-dir=${cli.inside}`, program, 'request', mode], operatorEnv(sandbox), [0]);
    await runPlan(sandbox, { rounds: 1, warmupRounds: 0, timeoutMs: 15 * 60_000, cases: [{ id: 'studio', steps: [request('studio-local'), request('desktop')] }] }, 30 * 60_000);
  } finally {
    await profileControllerRuns(sandbox, program, ['run', '%i'], null);
  }
  if (keepIn !== null) {
    cli.keep(join(keepIn, 'cli'));
    controller.keep(join(keepIn, 'controller'));
  }
  const markers = [`${INSIDE_REPO}/${shipped.entry.replace(/cli\/mode\.m?[jt]s$/, '')}`, `${INSIDE_REPO}/`];
  return {
    'mode request studio-local + desktop (shipped CLI, outside the record)': summarizeProfiles(cli.read(), markers),
    'mode run studio-local + desktop (shipped, inside the unit, --jitless)': summarizeProfiles(controller.read(), markers),
  };
}
