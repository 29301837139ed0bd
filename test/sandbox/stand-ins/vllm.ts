// Stand-in for `vllm serve` (vLLM v1), run inside the sandbox as vllm.service.
// Like vLLM it is two processes: this API server, and an EngineCore child
// (process title VLLM::EngineCore) that "loads the model" and holds the GPU's
// nodes (/dev/nvidia0, /dev/nvidiactl, /dev/nvidia-uvm) for as long as it
// lives. The API server holds only /dev/nvidiactl (it has no CUDA context)
// and does not listen at all until the engine reports the model loaded; then
// GET /health answers 200 (503 once the engine is dead) and GET /v1/models
// lists the served model name. A test steers it through its control file
// (control.ts), read at start and on every request.
//
// The engine watches a pipe from the API server and exits when it closes, as
// vLLM's death pipe does; with `engineSurvivesParent` it does not, and it
// ignores SIGTERM (vllm-project/vllm#55510: after a SIGKILL of the API server
// the engine keeps the GPU while the port is free).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_VLLM, readControl, type VllmControl } from './control.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    control: { type: 'string' },
    engine: { type: 'boolean', default: false },
  },
});

const controlPath = values.control;
const control = (): VllmControl => (controlPath ? readControl(controlPath, DEFAULT_VLLM) : DEFAULT_VLLM);
const hold = (paths: readonly string[]) => paths.map((path) => `${path} (fd ${openSync(path, 'r+')})`).join(', ');
const ENGINE_READY = 'engine-ready';

if (values.engine) runEngine();
else runApiServer();

function runEngine(): void {
  process.title = 'VLLM::EngineCore';
  const now = control();
  const log = (text: string) => process.stderr.write(`vllm stand-in EngineCore: ${text}\n`);
  log(`holding ${hold(['/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-uvm'])}; loading "${now.model}"`);
  if (now.engineSurvivesParent) {
    // parked in a CUDA call: the signal is never acted on
    process.on('SIGTERM', () => log('SIGTERM while busy in a CUDA call: not handled'));
  } else {
    process.on('SIGTERM', () => process.exit(0));
    // the death pipe: EOF on stdin means the API server is gone
    process.stdin.on('data', () => undefined);
    process.stdin.on('end', () => {
      log('the API server is gone (death pipe closed): shutting down');
      process.exit(0);
    });
  }
  if (now.health === 'never-ready') {
    log('never ready: the model never finishes loading');
  } else {
    setTimeout(() => {
      process.stdout.write(`${ENGINE_READY}\n`);
      if (now.health === 'engine-dead') {
        log('engine dead after loading (CUDA error: an illegal memory access was encountered)');
        process.exit(1);
      }
    }, now.readyAfterMs);
  }
  setInterval(() => undefined, 1 << 30);
}

function runApiServer(): void {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`vllm stand-in: --port must be a TCP port number, got ${String(values.port)}`);
    process.exit(2);
  }
  const startedAt = Date.now();
  const initial = control();
  console.log(`vllm stand-in: holding ${hold(['/dev/nvidiactl'])}; serving "${initial.model}" (control ${controlPath ?? 'none'}: ${JSON.stringify(initial)})`);

  const engine = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', '--engine', ...(controlPath ? ['--control', controlPath] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let engineAlive = true;
  let serving = false;
  engine.on('exit', (code, signal) => {
    engineAlive = false;
    console.error(`vllm stand-in: EngineCore ${String(engine.pid)} exited (status ${String(code)}, signal ${String(signal)})`);
    // a clean exit while loading is a stop (systemd's SIGTERM reaches the engine too), anything else a failed start
    if (!serving && (code !== 0 || signal !== null)) {
      console.error('vllm stand-in: Engine core initialization failed');
      process.exit(1);
    }
    if (!serving) process.exit(0);
  });

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = body === null ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const now = control();
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(res, 405, { detail: 'Method Not Allowed' });
    // vLLM's /health has an empty body; with its engine dead it answers 503
    if (path === '/health') return send(res, engineAlive ? 200 : 503, null);
    if (path === '/v1/models') {
      return send(res, 200, {
        object: 'list',
        data: [{ id: now.model, object: 'model', created: Math.floor(startedAt / 1000), owned_by: 'vllm', root: now.model, parent: null, max_model_len: 8192 }],
      });
    }
    return send(res, 404, { detail: 'Not Found' });
  }

  if (initial.exitAfterMs !== null) {
    setTimeout(() => {
      console.error(`vllm stand-in: exiting with status ${initial.exitCode} as told (a crash)`);
      process.exit(initial.exitCode);
    }, initial.exitAfterMs);
  }

  const server = createServer(handle);
  createInterface({ input: engine.stdout }).on('line', (line) => {
    if (line !== ENGINE_READY || serving) return;
    serving = true;
    server.listen(port, values.host, () => console.log(`vllm stand-in: model loaded, serving on http://${values.host}:${port}`));
  });
  process.on('SIGTERM', () => {
    console.log('vllm stand-in: SIGTERM, shutting down');
    server.close();
    server.closeAllConnections();
    if (!engineAlive) process.exit(0);
    engine.once('exit', () => process.exit(0));
    engine.kill('SIGTERM');
  });
}
