// mode status
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import { flag, optionValue, type Invocation } from '../parse.ts';
import { recordFiles } from '../records/files.ts';
import { gatherStatus } from '../status/gather.ts';
import { statusModel } from '../status/model.ts';
import { renderStatus } from '../status/render.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const status = statusModel(await gatherStatus(files));
  if (flag(inv, 'json')) writeJson(io, status);
  else io.out(renderStatus(status, io.paint, Date.now()));
  return status.exit.code;
}
