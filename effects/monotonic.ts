// CLOCK_MONOTONIC in milliseconds (process.hrtime is libuv's uv_hrtime):
// comparable between processes of one boot, unlike performance.now(), and
// unmoved by wall-clock jumps (NTP steps, a bad RTC).
export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;

/** When this process started, on the same clock (node's uptime counts from its own start on it). */
export const processStartMonoMs = (): number => monotonicMs() - process.uptime() * 1000;
