// Crash testing: DUBNIUM_FAILPOINT=after:<step id> makes the controller die
// abruptly (SIGKILL, no cleanup, no record) right after that step, the way a
// power cut or the OOM killer would. The next run must recover on its own.
export type Die = () => never;

const killSelf: Die = () => {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before kill() returns for the calling process; this is unreachable.
  throw new Error('SIGKILL did not end the process');
};

export function failpointFromEnv(env: Readonly<Record<string, string | undefined>>, die: Die = killSelf): ((stepId: string) => void) | undefined {
  const spec = env.DUBNIUM_FAILPOINT?.trim();
  if (!spec) return undefined;
  const match = /^after:([a-z][a-z0-9-]*)$/.exec(spec);
  if (!match) throw new Error(`DUBNIUM_FAILPOINT=${spec} is not of the form after:<step id> (for example after:isolate-compute)`);
  const wanted = match[1]!;
  return (stepId) => {
    if (stepId === wanted) die();
  };
}
