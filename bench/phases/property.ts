// Property-test throughput, outside the sandbox (the simulated host needs
// none): bench/property-throughput.ts in a fresh process per repetition.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../lib/cli-forms.ts';
import { summarize, type Summary } from '../lib/stats.ts';

interface Throughput {
  scenarios: number;
  controllerRuns: number;
  seconds: number;
}

function once(scenarios: number, seed: number, signal: AbortSignal): Promise<Throughput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bench', 'property-throughput.ts'), '--scenarios', String(scenarios), '--seed', String(seed)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30 * 60_000,
      signal,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Throughput) : reject(new Error(`bench/property-throughput.ts failed (exit ${String(code)}): ${err || out}`))));
  });
}

export interface PropertyResult {
  scenariosPerRound: number;
  controllerRuns: number[];
  seconds: number[];
  runsPerSecond: Summary;
  scenariosPerSecond: Summary;
}

export async function measurePropertyThroughput(scenarios: number, repeats: number, signal: AbortSignal): Promise<PropertyResult> {
  const results: Throughput[] = [];
  // the same seed each time: the same scenarios, so the repetitions differ only by the machine
  for (let i = 0; i < repeats; i += 1) results.push(await once(scenarios, 8, signal));
  return {
    scenariosPerRound: scenarios,
    controllerRuns: results.map((r) => r.controllerRuns),
    seconds: results.map((r) => r.seconds),
    runsPerSecond: summarize(results.map((r) => r.controllerRuns / r.seconds)),
    scenariosPerSecond: summarize(results.map((r) => r.scenarios / r.seconds)),
  };
}
