// A simulated machine whose port calls fail as told: the nth call (default
// every call) throws, never settles, or answers only after a delay on the
// run's clock. Shared by the chart's failure and timing tests.
import type { LockResult } from '../../../machines/host.ts';
import type { Intent } from '../../../schemas/records.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { workstationConfig as config } from './config.ts';

export type PortCall = 'lock' | 'release' | 'observe' | 'readIntent' | 'readDesired' | 'writeIntent' | 'perform' | 'writeRecord' | 'clearIntent';
export type Trouble = { call: PortCall; kind: 'throw' | 'hang'; onCall?: number } | { call: PortCall; kind: 'slow'; ms: number; onCall?: number };

export const DISK_FULL = 'ENOSPC: no space left on device';

export class TroubledHost extends SimulatedHost {
  readonly calls = new Map<PortCall, number>();
  readonly troubles: Trouble[];
  constructor(troubles: Trouble[], options: Partial<SimulatedHostOptions> = {}) {
    super({ config, ...options });
    this.troubles = troubles;
  }
  #troubled<T>(call: PortCall, real: () => Promise<T>): Promise<T> {
    const n = (this.calls.get(call) ?? 0) + 1;
    this.calls.set(call, n);
    const trouble = this.troubles.find((t) => t.call === call && (t.onCall === undefined || t.onCall === n));
    if (trouble?.kind === 'throw') return Promise.reject(new Error(`${call}: ${DISK_FULL}`));
    if (trouble?.kind === 'hang') return new Promise<T>(() => undefined);
    if (trouble?.kind === 'slow') return this.clock.sleep(trouble.ms).then(real);
    return real();
  }
  override lock(): Promise<LockResult> {
    return this.#troubled('lock', async () => {
      const lock = await super.lock();
      return lock.acquired ? { acquired: true, release: () => this.#troubled('release', () => lock.release()) } : lock;
    });
  }
  override observe() {
    return this.#troubled('observe', () => super.observe());
  }
  override readIntent() {
    return this.#troubled('readIntent', () => super.readIntent());
  }
  override readDesired() {
    return this.#troubled('readDesired', () => super.readDesired());
  }
  override writeIntent(intent: Intent) {
    return this.#troubled('writeIntent', () => super.writeIntent(intent));
  }
  override perform(...args: Parameters<SimulatedHost['perform']>) {
    return this.#troubled('perform', () => super.perform(...args));
  }
  override writeRecord(...args: Parameters<SimulatedHost['writeRecord']>) {
    return this.#troubled('writeRecord', () => super.writeRecord(...args));
  }
  override clearIntent() {
    return this.#troubled('clearIntent', () => super.clearIntent());
  }
}
