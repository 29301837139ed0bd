// What the programs of the user-side units share (audio-state.js for
// dubnium-audio-state@.service, notice-agent.js for dubnium-notice@.service):
// a usage error that names the program, the unit's RuntimeDirectory as their
// one folder, the uid they run as, and SIGTERM/SIGINT as their stop.
export type Fail = (message: string) => never;

export function usageFailure(program: string, usage: string): Fail {
  return (message) => {
    process.stderr.write(`${program}: ${message}\n${usage}\n`);
    process.exit(2);
  };
}

export interface UnitEntry {
  dir: string;
  uid: number;
  /** aborted by SIGTERM (systemd's stop) or SIGINT */
  signal: AbortSignal;
}

/** `directory` is the unit's RuntimeDirectory= setting, for the message when it is missing. */
export function unitEntry(fail: Fail, unit: string, directory: string): UnitEntry {
  const dir = process.env.RUNTIME_DIRECTORY?.split(':')[0];
  if (!dir) return fail(`$RUNTIME_DIRECTORY is not set; run it from ${unit} (RuntimeDirectory=${directory})`);
  const uid = process.getuid?.();
  if (uid === undefined) return fail('this platform has no user ids');
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort());
  return { dir, uid, signal: stop.signal };
}
