// How long a tool gets after SIGTERM before SIGKILL, and how long after that
// the runner stops waiting. A process stuck in uninterruptible sleep (an
// nvidia-smi on a GPU that fell off the bus) survives SIGKILL; the runner then
// reports the timeout anyway instead of hanging the controller with it.
export const KILL_GRACE_MS = 2000;
export const SETTLE_AFTER_KILL_MS = 1000;
/** Larger than any real `nvidia-smi -q -x` of a 64-GPU host; beyond it the output is not trusted. */
export const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
