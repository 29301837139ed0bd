// Where the controller keeps its files. systemd hands the unit its folders in
// $RUNTIME_DIRECTORY and $STATE_DIRECTORY; tests and the sandbox pass their
// own temporary folders, so nothing here is hard-wired to /run or /var.
import { isAbsolute } from 'node:path';

export const DEFAULT_RUNTIME_DIR = '/run/mode-controller';
export const DEFAULT_STATE_DIR = '/var/lib/mode-controller';
export const DEFAULT_CONFIG_PATH = '/etc/dubnium/config.json';

/** File names inside the runtime folder (tmpfs: lost on power loss, as they should be). */
export const RUNTIME_FILES = {
  lock: 'lock',
  lockHolder: 'lock.holder.json',
  desired: 'desired.json',
  lastTransition: 'last-transition.json',
  lastGuards: 'last-guards.json',
  lastObservation: 'last-observation.json',
  capabilityPlacement: 'capability-placement.json',
  hardwareTopology: 'hardware-topology.json',
} as const;

/** File names inside the state folder (persistent: survives a reboot). */
export const STATE_FILES = {
  events: 'events.jsonl',
  eventsLock: 'events.lock',
  intent: 'intent.json',
} as const;

export interface RecordPaths {
  runtimeDir: string;
  stateDir: string;
  configPath: string;
}

export interface RecordPathOptions {
  runtimeDir?: string | undefined;
  stateDir?: string | undefined;
  configPath?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export type RecordPathsResult = { ok: true; paths: RecordPaths } | { ok: false; message: string };

// systemd joins several RuntimeDirectory= entries with ':'; ours is the first.
const firstEntry = (value: string | undefined): string | undefined => {
  const first = value?.split(':')[0];
  return first === undefined || first === '' ? undefined : first;
};

export function resolveRecordPaths(options: RecordPathOptions = {}): RecordPathsResult {
  const env = options.env ?? process.env;
  const candidates: [keyof RecordPaths, string, string][] = [
    ['runtimeDir', options.runtimeDir ?? firstEntry(env.RUNTIME_DIRECTORY) ?? DEFAULT_RUNTIME_DIR, '$RUNTIME_DIRECTORY'],
    ['stateDir', options.stateDir ?? firstEntry(env.STATE_DIRECTORY) ?? DEFAULT_STATE_DIR, '$STATE_DIRECTORY'],
    ['configPath', options.configPath ?? (env.DUBNIUM_CONFIG || undefined) ?? DEFAULT_CONFIG_PATH, '$DUBNIUM_CONFIG'],
  ];
  for (const [, value, origin] of candidates) {
    if (!isAbsolute(value) || value.includes('\0')) {
      return {
        ok: false,
        message: `${JSON.stringify(value)} is not an absolute path; set ${origin} (or the matching option) to an absolute path such as ${origin === '$DUBNIUM_CONFIG' ? DEFAULT_CONFIG_PATH : '/run/mode-controller'}`,
      };
    }
  }
  const [runtimeDir, stateDir, configPath] = candidates.map(([, value]) => value) as [string, string, string];
  return { ok: true, paths: { runtimeDir, stateDir, configPath } };
}
