// The record files the read-only verbs look at, from the records layer's
// path rules ($RUNTIME_DIRECTORY, $STATE_DIRECTORY, $DUBNIUM_CONFIG).
import { join } from 'node:path';
import { RUNTIME_FILES, STATE_FILES, resolveRecordPaths, type RecordPaths } from '../../effects/records/paths.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';

export interface RecordFiles {
  paths: RecordPaths;
  desired: string;
  lastTransition: string;
  lastObservation: string;
  lock: string;
  lockHolder: string;
  intent: string;
  events: string;
}

export function recordFiles(env: Readonly<Record<string, string | undefined>>, configOption?: string): RecordFiles {
  const resolved = resolveRecordPaths({ env, configPath: configOption });
  if (!resolved.ok) throw new CliError(EXIT.config, resolved.message);
  const { runtimeDir, stateDir } = resolved.paths;
  return {
    paths: resolved.paths,
    desired: join(runtimeDir, RUNTIME_FILES.desired),
    lastTransition: join(runtimeDir, RUNTIME_FILES.lastTransition),
    lastObservation: join(runtimeDir, RUNTIME_FILES.lastObservation),
    lock: join(runtimeDir, RUNTIME_FILES.lock),
    lockHolder: join(runtimeDir, RUNTIME_FILES.lockHolder),
    intent: join(stateDir, STATE_FILES.intent),
    events: join(stateDir, STATE_FILES.events),
  };
}
