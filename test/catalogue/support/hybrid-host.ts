// A Host whose world is simulated (units, sessions, GPUs on a discrete-event
// clock) but whose records are REAL: the flock lock, desired.json, the intent
// journal, last-transition.json and the audit log in real folders, written by
// effects/records. The catalogue's P rows use it where the fault is in the
// records (a full disk, a read-only /run, a live lock holder, a reboot that
// wiped /run) and the machine only needs to behave like one.
import type { Clock, Host } from '../../../machines/host.ts';
import { createRecordStore, type RecordStore, type RecordStoreOptions } from '../../../effects/records/store.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';

export interface HybridHost extends Host {
  readonly sim: SimulatedHost;
  readonly store: RecordStore;
}

export function hybridHost(
  world: SimulatedHostOptions,
  dirs: { runtimeDir: string; stateDir: string },
  storeOptions: RecordStoreOptions = {},
  /** e.g. a wall clock that jumps, over the simulated monotonic time */
  wrapClock: (clock: Clock) => Clock = (clock) => clock,
): HybridHost {
  const sim = new SimulatedHost(world);
  const clock = wrapClock(sim.clock);
  const store = createRecordStore(dirs, { clock, ...storeOptions });
  // Real IO takes no simulated time: the discrete-event clock stands still until it completes.
  const real = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = sim.clock.hold();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return {
    sim,
    store,
    config: sim.config,
    clock,
    observe: () => sim.observe(),
    perform: (action, signal) => sim.perform(action, signal),
    lock: () => real(() => store.lock()),
    readDesired: () => real(() => store.readDesired()),
    readIntent: () => real(() => store.readIntent()),
    writeIntent: (intent) => real(() => store.writeIntent(intent)),
    clearIntent: () => real(() => store.clearIntent()),
    writeRecord: (record, guards) => real(() => store.writeRecord(record, guards)),
    appendAudit: (event) => real(() => store.appendAudit(event)),
    bootId: () => real(() => store.bootId()),
  };
}
