// What can go wrong on the simulated host, chosen per test.
import type { FactName } from '../schemas/facts.ts';

export interface Faults {
  /** units whose start fails (ActiveState=failed, exit status 1) */
  failStart?: string[];
  /** units whose start (or isolate, for a target) never returns until cancelled */
  hangStart?: string[];
  /** units whose start reports success but which die right after (a service crashing on startup) */
  crashAfterStart?: string[];
  failStop?: string[];
  hangStop?: string[];
  failSetProperty?: string[];
  /** a display process keeps holding the display GPU after the display manager stops */
  gpuNotReleased?: boolean;
  /** vLLM runs but never answers its health check, so vllm-ready hangs */
  vllmNeverReady?: boolean;
  /** fact sources that read as unknown, from the given 1-based observation on (default 1) */
  unknownFacts?: { fact: FactName; fromObservation?: number }[];
  /** the run dies right after this step (see SimulatedHost.failpoint) */
  dieAfterStep?: string;
}

/** Thrown by the simulated failpoint: the process "dies" here. */
export class SimulatedCrash extends Error {
  readonly stepId: string;
  constructor(stepId: string) {
    super(`simulated crash after step ${stepId}`);
    this.name = 'SimulatedCrash';
    this.stepId = stepId;
  }
}
