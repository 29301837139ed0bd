// mode boot: what mode-boot.service runs once per boot. It records the
// config's boot default as desired and starts its controller unit without
// waiting; that run also recovers an intent a crash left behind. Run again in
// the same boot (a restart of the unit, a start job that pulled it in again),
// it records and starts nothing: the boot default never undoes a request
// (effects/records/boot-once.ts). Either way it hands the state to the
// configured fleet adapters (effects/fleet/), so node_exporter's textfile is
// there from boot on, with the counters the audit log keeps across reboots.
import { fleetAdapters } from '../../effects/fleet/adapters.ts';
import { publishState } from '../../effects/fleet/publish-all.ts';
import { writeInspectionAtBoot } from '../../effects/inspection-at-boot.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import { loadConfig } from '../config/load.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import type { Invocation } from '../command.ts';
import { optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { recordBootDefault } from '../request/record-desired.ts';
import { controllerUnit, startControllerUnit } from '../request/start-unit.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const { config } = await loadConfig(files.paths.configPath);
  const mode = config.boot.defaultMode;
  // the one record store of this process: the desired mode and the inspection files go through it
  const store = createRecordStore(files.paths);
  const desired = await recordBootDefault(store, mode);
  // a fleet adapter that fails is journaled; the boot goes on
  await publishState(fleetAdapters(config), store, 'boot', null, { report: (text) => io.out(text) });
  if ('skipped' in desired) {
    io.out(`boot default ${mode} not applied again: ${desired.skipped}; nothing recorded, nothing started\n`);
    return EXIT.ok;
  }
  if (!desired.recorded) io.err(`mode boot: ${desired.note}\n`);
  // phase 4's files exist from boot on; a failed write is reported, never fatal (the boot run writes them again)
  const unwritten = await writeInspectionAtBoot(config, { sink: store, configPath: files.paths.configPath, env: io.env });
  for (const { file, reason } of unwritten) io.out(`inspection-unwritten ${JSON.stringify({ file, reason })}\n`);
  await startControllerUnit(mode, config, io.env);
  io.out(`boot default ${mode}${desired.recorded ? ` (generation ${desired.recorded.generation})` : ''}: started ${controllerUnit(mode)}\n`);
  return EXIT.ok;
}
