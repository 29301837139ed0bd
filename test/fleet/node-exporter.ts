// A real prometheus-node-exporter (Debian's package) on loopback, with only
// the textfile collector, reading the folder a test gives it. Stopped by its
// own PID; nothing else is signalled.
import { createServer } from 'node:net';
import { execa, type ResultPromise } from 'execa';

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

export interface NodeExporter {
  pid: number;
  url: string;
  /** GET /metrics */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

/** A port the kernel says is free now; the exporter binds it right after. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startNodeExporter(textfileDir: string, readyWithinMs = 15_000): Promise<NodeExporter> {
  const port = await freePort();
  const child: ResultPromise = execa(NODE_EXPORTER, ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfileDir}`, `--web.listen-address=127.0.0.1:${port}`], {
    reject: false,
    stdin: 'ignore',
    buffer: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${NODE_EXPORTER} did not start`);
  const url = `http://127.0.0.1:${port}/metrics`;
  const scrape = async (): Promise<string> => {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    return response.text();
  };
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async (): Promise<void> => {
    if (!exited) process.kill(pid, 'SIGTERM');
    await child;
  };
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (exited) {
      const result = await child;
      throw new Error(`${NODE_EXPORTER} exited (${String(result.exitCode)}): ${String(result.stderr)}`);
    }
    try {
      await scrape();
      return { pid, url, scrape, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${NODE_EXPORTER} did not answer ${url} within ${readyWithinMs} ms: ${String(error)}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
