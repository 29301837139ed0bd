// mode current [--refresh]
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { Facts } from '../../schemas/facts.ts';
import { renderCurrent } from '../current/render.ts';
import { EXIT, exitForObservedMode, exitName } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import { flag, optionValue, type Invocation } from '../parse.ts';
import { recordFiles } from '../records/files.ts';
import { readRecord } from '../records/read.ts';
import { observedSummary } from '../status/observed.ts';
import * as validators from '../records/validators.generated.js';

async function recorded(path: string): Promise<Omit<CurrentOutput, 'exit'>> {
  const read = await readRecord(path, validators.observation);
  if (read.status !== 'ok') {
    return { schemaVersion: 1, source: 'recorded', observed: null, facts: null, problems: read.status === 'unreadable' ? [{ file: path, reason: read.reason }] : [] };
  }
  const { classification, facts, runId } = read.value;
  // The records layer validated the whole record against Facts before writing it.
  return { schemaVersion: 1, source: 'recorded', observed: observedSummary(classification, facts.observedAt, runId), facts: facts as unknown as Facts, problems: [] };
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const partial = flag(inv, 'refresh')
    ? await (await import('../current/fresh.ts')).freshCurrent(files.paths.configPath, io.env)
    : await recorded(files.lastObservation);
  const code = partial.observed ? exitForObservedMode(partial.observed.mode) : EXIT.unknown;
  const output: CurrentOutput = { ...partial, exit: { code, name: exitName(code) ?? 'unknown' } };
  if (flag(inv, 'json')) writeJson(io, output);
  else io.out(renderCurrent(output, io.paint, Date.now()));
  for (const problem of output.problems) io.err(`mode: ${problem.reason}\n`);
  return code;
}
