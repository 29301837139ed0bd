// A proven mode must hold: after a switch ends `succeeded`, nothing may take
// the machine elsewhere without a new request. mode-boot.service once did
// (issue 18): re-run by every start job that pulled multi-user.target in, it
// recorded the boot default as the newest request, and level-triggering took
// compute back to desktop seconds after it was proven. So the end-to-end
// tests look again after a settle time, with the project's own observer, and
// check that no request was recorded and no controller run or boot run started
// in between.
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify } from '../../predicates/classify.ts';
import { MODES } from '../../schemas/modes.ts';
import type { ModeName } from '../../schemas/names.ts';
import { DesiredRecord } from '../../schemas/records.ts';
import type { Sandbox } from './sandbox.ts';
import { outsideRoots } from './outside-roots.ts';

const RUNTIME_DIR = '/run/mode-controller';
const START_PROPERTIES = ['InvocationID', 'ExecMainStartTimestampMonotonic', 'ActiveState'];

/** What must not change while a mode holds. */
export interface HoldSnapshot {
  generation: number | null;
  /** unit → its last invocation (a oneshot gets a new InvocationID at every start) */
  starts: Record<string, string>;
}

const BOOT_UNIT = 'mode-boot.service';
const watchedUnits = (): string[] => [...MODES.map((m) => `mode-controller@${m}.service`), BOOT_UNIT];

export async function holdSnapshot(sandbox: Sandbox): Promise<HoldSnapshot> {
  const text = sandbox.readInside(`${RUNTIME_DIR}/desired.json`);
  const generation = text === null ? null : DesiredRecord.parse(JSON.parse(text)).generation;
  const shown = await sandbox.show(watchedUnits(), START_PROPERTIES);
  const starts = Object.fromEntries(watchedUnits().map((u) => [u, `${shown.get(u)?.InvocationID ?? ''}@${shown.get(u)?.ExecMainStartTimestampMonotonic ?? ''}`]));
  return { generation, starts };
}

/** The mode the project's own observer sees now, from outside the sandbox. */
export async function observedMode(sandbox: Sandbox): Promise<string> {
  // the outside wrappers on PATH, not tool paths the config names inside (a test may point them at wrappers of its own)
  const facts = await observeFacts({ ...sandbox.config, tools: {} }, { roots: outsideRoots(sandbox), env: { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` } });
  return classify(facts, sandbox.config).mode;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long every succeeded switch of the e2e tests is watched, with no request; e2e-mode-holds.test.ts watches 20 s. */
export const SETTLE_MS = 2_000;

export interface HoldOptions {
  /** how long to wait with no request before looking again; SETTLE_MS by default */
  settleMs?: number;
  /** the request the machine must still be serving: desired.json's generation (default: what it holds now) */
  generation?: number | null;
  /** what may not have started again (default: a snapshot taken now) */
  before?: HoldSnapshot;
  /** a snapshot from before the request: mode-boot.service must not have run since then */
  bootAsOf?: HoldSnapshot;
}

/**
 * Waits with no request, then checks that `mode` is still what the observer
 * sees, with the same desired generation and no controller or boot run
 * started since `before`. Throws naming every change.
 */
export async function expectModeHolds(sandbox: Sandbox, mode: ModeName, options: HoldOptions = {}): Promise<void> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const snapshot = options.before ?? (await holdSnapshot(sandbox));
  const start: HoldSnapshot = {
    generation: options.generation ?? snapshot.generation,
    starts: { ...snapshot.starts, ...(options.bootAsOf ? { [BOOT_UNIT]: options.bootAsOf.starts[BOOT_UNIT] ?? '' } : {}) },
  };
  await pause(settleMs);
  const after = await holdSnapshot(sandbox);
  const problems: string[] = [];
  const observed = await observedMode(sandbox);
  if (observed !== mode) problems.push(`the machine is ${observed}, not ${mode}`);
  if (after.generation !== start.generation) problems.push(`desired.json went from generation ${String(start.generation)} to ${String(after.generation)}: ${sandbox.readInside(`${RUNTIME_DIR}/desired.json`) ?? '(gone)'}`);
  for (const [unit, invocation] of Object.entries(after.starts)) {
    if (invocation !== start.starts[unit]) problems.push(`${unit} started again (${start.starts[unit] ?? '?'} → ${invocation})`);
  }
  if (problems.length > 0) throw new Error(`${mode} did not hold for ${settleMs} ms with no request: ${problems.join('; ')}`);
}
