// Cold starts: `mode status` and `mode current --json --refresh`, a new
// process each, in every CLI form, interleaved with `node -e 0` (the same
// Node binary) and with the observation floor, inside the sandbox.
import { INSIDE_NODE } from '../../test/sandbox/layout.ts';
import type { CliForm } from '../lib/cli-forms.ts';
import type { ColdCase } from '../lib/results.ts';
import { insideRepo, operatorEnv, runPlan, step, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { pairedRatios, ratio, summarize, type Summary } from '../lib/stats.ts';
import type { PlanCase } from '../lib/timing-plan.ts';

// answers about the machine (ok, degraded, pending, unknown), not failures of the command
export const DOMAIN_EXITS = [0, 5, 7, 9];
const VERBS = [
  { verb: 'status', args: ['status'] },
  { verb: 'current --json --refresh', args: ['current', '--json', '--refresh'] },
] as const;
// The bench runs as root, for whom the CLI enables no compile cache; a normal
// user's `mode` enables one in ~/.cache/dubnium-mode. NODE_COMPILE_CACHE gives
// root the same cache, so both operators are measured.
const COMPILE_CACHE_DIR = '/tmp/dubnium-bench-compile-cache';

export interface ColdStartResult {
  nodeBare: Summary;
  observeFloor: Summary;
  cases: ColdCase[];
}

export async function measureColdStarts(sandbox: ControllerSandbox, forms: readonly CliForm[], observeArgv: string[][], rounds: number): Promise<ColdStartResult> {
  const env = operatorEnv(sandbox);
  const cases: (PlanCase & { meta?: Pick<ColdCase, 'id' | 'verb' | 'form' | 'compileCache'> })[] = [
    { id: 'node -e 0', steps: [step([INSIDE_NODE, '-e', '0'], env, [0])] },
    { id: 'observe floor', steps: [step([INSIDE_NODE, insideRepo('bench/inside/observe-floor.mjs'), JSON.stringify(observeArgv)], env, [0])] },
  ];
  for (const { verb, args } of VERBS) {
    for (const form of forms) {
      const variants = form.name === 'source' ? [false] : [false, true];
      for (const compileCache of variants) {
        const id = `${verb} | ${form.name}${compileCache ? ' + compile cache' : ''}`;
        const caseEnv = compileCache ? { ...env, NODE_COMPILE_CACHE: COMPILE_CACHE_DIR } : env;
        cases.push({ id, steps: [step([INSIDE_NODE, insideRepo(form.entry), ...args], caseEnv, DOMAIN_EXITS)], meta: { id, verb, form: form.name, compileCache } });
      }
    }
  }
  const result = await runPlan(sandbox, { rounds, warmupRounds: 1, timeoutMs: 120_000, cases: cases.map(({ id, steps }) => ({ id, steps })) }, 60 * 60_000);
  const samples = (id: string) => {
    const got = result.cases[id];
    if (!got) throw new Error(`the timing driver returned no samples for "${id}"`);
    return got;
  };
  const node = samples('node -e 0').ms;
  const nodeBare = summarize(node);
  const observe = samples('observe floor').ms;
  const observeFloor = summarize(observe);
  return {
    nodeBare,
    observeFloor,
    cases: cases.flatMap((c) => {
      if (!c.meta) return [];
      const got = samples(c.id);
      const ms = summarize(got.ms);
      return [
        {
          ...c.meta,
          ms,
          ratioToNode: ratio(ms, nodeBare),
          pairedRatioToNode: pairedRatios(got.ms, node),
          ratioToObserveFloor: ratio(ms, observeFloor),
          pairedRatioToObserveFloor: pairedRatios(got.ms, observe),
          exits: [...new Set(got.exits.flat())],
        },
      ];
    }),
  };
}
