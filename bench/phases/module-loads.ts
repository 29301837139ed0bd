// What a cold `mode status` / `mode current --refresh` loads: the module
// files its own process opens (strace), grouped by npm package and by the
// repo's folders. The profile says where the time goes; this says why.
import type { CliForm } from '../lib/cli-forms.ts';
import { countByGroup } from '../lib/strace-files.ts';
import { insideRepo, operatorEnv, traceModuleFiles, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { INSIDE_NODE, INSIDE_REPO } from '../../test/sandbox/layout.ts';

export interface ModuleLoads {
  files: number;
  byGroup: Record<string, number>;
}

const VERBS: Record<string, string[]> = {
  status: ['status'],
  'current --json --refresh': ['current', '--json', '--refresh'],
};

export async function moduleLoads(sandbox: ControllerSandbox, forms: readonly CliForm[]): Promise<Record<string, ModuleLoads>> {
  const out: Record<string, ModuleLoads> = {};
  for (const form of forms) {
    const markers = [`${INSIDE_REPO}/${form.entry.replace(/cli\/mode\.m?[jt]s$/, '')}`, `${INSIDE_REPO}/`];
    for (const [verb, args] of Object.entries(VERBS)) {
      const files = await traceModuleFiles(sandbox, [INSIDE_NODE, insideRepo(form.entry), ...args], operatorEnv(sandbox));
      out[`mode ${verb} (${form.name})`] = { files: files.length, byGroup: countByGroup(files, markers) };
    }
  }
  return out;
}
