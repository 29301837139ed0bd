// mode doctor: the config checked against the visible machine.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { collectRivals } from '../../effects/observe/collect-rivals.ts';
import { configuredUnits } from '../../effects/observe/configured-units.ts';
import { errorCode } from '../../effects/observe/fact-builders.ts';
import { observeContext, observeFacts } from '../../effects/observe/observe-facts.ts';
import { readBootId } from '../../effects/records/boot-id.ts';
import { observeTopology } from '../../effects/observe/collect-topology.ts';
import type { DoctorOutput } from '../../schemas/cli-output.ts';
import { loadConfig } from '../config/load.ts';
import { doctorChecks } from './checks.ts';
import { controllerAudioCheck } from './controller-audio-check.ts';
import { NIXOS_MARKER, PLACEHOLDER_MARKER, placeholderCheck } from './placeholder-check.ts';
import { rivalChecks, rivalSpec } from './rival-checks.ts';
import { EXIT, exitName } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { readRecord } from '../record-views/read.ts';
import { readInspectionFiles, renderInspection } from '../status/inspection.ts';
import { evidenceLines } from '../render/reasons.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const { config, path } = await loadConfig(files.paths.configPath);
  const [facts, topology, rivals, lastObservation, bootId, marker] = await Promise.all([
    observeFacts(config, { env: io.env }),
    observeTopology(config, { env: io.env }),
    collectRivals(observeContext(config, { env: io.env }), rivalSpec()),
    readRecord(files.lastObservation, 'observation'),
    readBootId(),
    // only an absent marker is absent: one that cannot be read is still there
    readFile(PLACEHOLDER_MARKER, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR' ? null : `(present, unreadable: ${errorCode(error) ?? String(error)})`)),
  ]);
  const checks = [
    ...doctorChecks(config, facts, topology),
    controllerAudioCheck(lastObservation, files.lastObservation, bootId),
    placeholderCheck({ marker, nixos: existsSync(NIXOS_MARKER) }),
    ...rivalChecks(rivals, configuredUnits(config)),
  ];
  const code = checks.some((c) => c.status === 'fail') ? EXIT.checkFailed : checks.some((c) => c.status === 'unknown') ? EXIT.unknown : EXIT.ok;
  const output: DoctorOutput = { schemaVersion: 1, configPath: path, checks, exit: { code, name: exitName(code) ?? 'unknown' } };
  if (flag(inv, 'json')) {
    writeJson(io, output);
    return code;
  }
  const p = io.paint;
  io.out(`${p.bold('mode doctor')}: ${path} against this machine\n`);
  for (const check of checks) {
    const mark = check.status === 'pass' ? p.green('pass   ') : check.status === 'fail' ? p.red('FAIL   ') : check.status === 'warn' ? p.yellow('warn   ') : p.yellow('unknown');
    io.out(`  ${mark}  ${check.title}\n           ${check.message}\n`);
    if (check.status === 'fail' || check.status === 'warn') for (const line of evidenceLines(check.evidence, '           ', p, 4)) io.out(`${line}\n`);
  }
  const counts = (['pass', 'warn', 'fail', 'unknown'] as const).map((s) => `${checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  io.out(`${counts}\n`);
  // what a controller run last recorded of the same hardware, for comparison (the plan's phase 4)
  const inspection = renderInspection(await readInspectionFiles(files.paths.runtimeDir), p, Date.now(), 'recorded: ', '          ');
  io.out(`${inspection.map((line) => `${line}\n`).join('')}`);
  return code;
}
