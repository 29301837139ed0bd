// Stand-in for vLLM's OpenAI-compatible server, run inside the sandbox as
// vllm.service. Like vLLM, it does not listen at all while "loading the
// model" (readyAfterMs), then answers GET /health and GET /v1/models on
// loopback. A test makes it slow, failing, never ready or crashing through
// its control file (see control.ts), re-read at start and on every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { DEFAULT_VLLM, readControl, type VllmControl } from './control.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    control: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`vllm stand-in: --port must be a TCP port number, got ${String(values.port)}`);
  process.exit(2);
}
const controlPath = values.control;
const control = (): VllmControl => (controlPath ? readControl(controlPath, DEFAULT_VLLM) : DEFAULT_VLLM);
const startedAt = Date.now();
const initial = control();

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const now = control();
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') return send(res, 405, { detail: 'Method Not Allowed' });
  if (path === '/health') {
    // vLLM's /health has an empty body; a dead engine answers an error status
    return now.health === 'failing' ? send(res, now.failStatus, { detail: 'engine dead (stand-in)' }) : send(res, 200, null);
  }
  if (path === '/v1/models') {
    return send(res, 200, {
      object: 'list',
      data: [{ id: now.model, object: 'model', created: Math.floor(startedAt / 1000), owned_by: 'vllm', root: now.model, parent: null, max_model_len: 8192 }],
    });
  }
  return send(res, 404, { detail: 'Not Found' });
}

console.log(`vllm stand-in: loading "${initial.model}" (control ${controlPath ?? 'none'}: ${JSON.stringify(initial)})`);

if (initial.exitAfterMs !== null) {
  setTimeout(() => {
    console.error(`vllm stand-in: exiting with status ${initial.exitCode} as told (a crash such as CUDA out of memory)`);
    process.exit(initial.exitCode);
  }, initial.exitAfterMs);
}

if (initial.health === 'never-ready') {
  console.log('vllm stand-in: never ready: the model never finishes loading, nothing listens');
  setInterval(() => undefined, 1 << 30);
} else {
  setTimeout(() => {
    const server = createServer(handle);
    server.listen(port, values.host, () => console.log(`vllm stand-in: serving on http://${values.host}:${port}`));
    process.on('SIGTERM', () => {
      console.log('vllm stand-in: SIGTERM, shutting down');
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }, initial.readyAfterMs);
}
