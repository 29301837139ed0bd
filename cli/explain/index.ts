// mode explain <mode> [--format text|mermaid|dot|json]
import { highlightOf } from '../../machines/render/graph.ts';
import { toDot } from '../../machines/render/dot.ts';
import { toMermaid } from '../../machines/render/mermaid.ts';
import type { ModeName } from '../../schemas/names.ts';
import { EXIT } from '../exit-codes.ts';
import { explainModel } from './model.ts';
import { renderExplain } from './text.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import { liveView } from '../live.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const target = inv.args.mode as ModeName;
  const model = explainModel(await liveView(files.paths.configPath, target, io.env), target);
  const format = flag(inv, 'json') ? 'json' : (optionValue(inv, 'format') ?? 'text');
  const highlight = highlightOf(model.path.map((s) => s.edge));
  if (format === 'json') writeJson(io, model);
  else if (format === 'mermaid') io.out(toMermaid(model.chart, highlight));
  else if (format === 'dot') io.out(toDot(model.chart, highlight));
  else io.out(renderExplain(model, io.paint));
  return EXIT.ok;
}
