// The node flags of the packaged controller unit (units/mode-controller@.service's
// ExecStart, between node and the program), so that the bench's drop-ins run the
// controller exactly as the unit does: a change of the unit (--jitless or not,
// heap sizes, a compile cache) is measured without a second copy of it here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli-forms.ts';

export const CONTROLLER_UNIT = join(REPO, 'units/mode-controller@.service');

export function nodeFlagsOf(unitText: string, origin: string): string[] {
  const line = unitText.split('\n').find((l) => l.startsWith('ExecStart='));
  if (line === undefined) throw new Error(`${origin} has no ExecStart= line`);
  const argv = line.slice('ExecStart='.length).trim().split(/\s+/);
  const node = argv.findIndex((a) => /(^|\/)node$/.test(a));
  const program = argv.findIndex((a) => /\/cli\/mode\.[cm]?js$/.test(a));
  if (node < 0 || program < node) throw new Error(`${origin}: ExecStart= is not "…/node [flags] …/cli/mode.cjs …": ${line}`);
  return argv.slice(node + 1, program);
}

let cached: string[] | null = null;
export function controllerNodeFlags(): string[] {
  cached ??= nodeFlagsOf(readFileSync(CONTROLLER_UNIT, 'utf8'), CONTROLLER_UNIT);
  return cached;
}
