// A filesystem read can block forever (statfs on a dead NFS mount, a /proc
// file of a process stuck in the kernel). The collector stops waiting at its
// deadline and reports that; the blocked read stays in libuv's pool.
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => T, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    if (signal) {
      onAbort = () => resolve(onTimeout());
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
