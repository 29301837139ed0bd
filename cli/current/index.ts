// mode current [--refresh]
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { Facts } from '../../schemas/facts.ts';
import { renderCurrent } from './render.ts';
import { EXIT, exitForObservedMode, exitName } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles, type RecordFiles } from '../record-views/files.ts';
import { readRecord } from '../record-views/read.ts';
import { latestObserved } from '../status/observed.ts';

async function recorded(files: RecordFiles): Promise<Omit<CurrentOutput, 'exit'>> {
  const [observation, transition] = await Promise.all([readRecord(files.lastObservation, 'observation'), readRecord(files.lastTransition, 'transition')]);
  const problems = [
    ...(observation.status === 'unreadable' ? [{ file: files.lastObservation, reason: observation.reason }] : []),
    ...(transition.status === 'unreadable' ? [{ file: files.lastTransition, reason: transition.reason }] : []),
  ];
  const observed = latestObserved(observation.status === 'ok' ? observation.value : null, transition.status === 'ok' ? transition.value : null);
  // The facts are shown only with the observation they belong to; the records
  // layer validated them against Facts before writing.
  const facts = observation.status === 'ok' && observed?.observedAt === observation.value.facts.observedAt ? (observation.value.facts as unknown as Facts) : null;
  return { schemaVersion: 1, source: 'recorded', observed, facts, problems };
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const partial = flag(inv, 'refresh')
    ? await (await import('./fresh.ts')).freshCurrent(files.paths, io.env)
    : await recorded(files);
  const code = partial.observed ? exitForObservedMode(partial.observed.mode) : EXIT.unknown;
  const output: CurrentOutput = { ...partial, exit: { code, name: exitName(code) ?? 'unknown' } };
  if (flag(inv, 'json')) writeJson(io, output);
  else io.out(renderCurrent(output, io.paint, Date.now()));
  for (const problem of output.problems) io.err(`mode: ${problem.reason}\n`);
  return code;
}
