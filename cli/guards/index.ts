// mode guards <mode>: the dry run; the exit status says pass, soft-only or hard block.
import type { GuardsOutput } from '../../schemas/cli-output.ts';
import type { ModeName } from '../../schemas/names.ts';
import { exitForGuardVerdict, exitName } from '../exit-codes.ts';
import { renderGuards } from './render.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import { liveView } from '../live.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const live = await liveView(files.paths.configPath, inv.args.mode as ModeName, io.env);
  const code = exitForGuardVerdict(live.guards.verdict);
  const output: GuardsOutput = { ...live.guards, exit: { code, name: exitName(code) ?? 'unknown' } };
  if (flag(inv, 'json')) writeJson(io, output);
  else io.out(`${renderGuards(live.guards, io.paint).join('\n')}\n`);
  return code;
}
