// What every verb module exports; the entry point imports them lazily.
import type { Io } from './io.ts';
import type { Invocation } from './parse.ts';

export interface CommandModule {
  run(inv: Invocation, io: Io): Promise<number>;
}
