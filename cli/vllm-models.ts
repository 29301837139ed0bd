// What vllm-ready.service runs after /health answered 200: GET /v1/models must
// list the configured model ($VLLM_MODEL, vLLM's --served-model-name) at
// $VLLM_MODELS_URL. Exit 0 when it does; 1 when vLLM serves other models (a
// server that will never be the one asked for: the unit fails at once, and the
// journal names what it serves); a refused or failed request is retried once
// a second for up to RETRY_FOR_MS, each bounded by REQUEST_TIMEOUT_MS; 2 for
// a bad environment. Run by node --jitless (the unit has MemoryDenyWriteExecute=yes).
import { connect } from 'node:net';
import { parseServedModels } from '../effects/observe/parsers/vllm-models.ts';
import { describeError } from '../shared/describe-error.ts';

const REQUEST_TIMEOUT_MS = 5_000;
const RETRY_FOR_MS = 30_000;
const RETRY_DELAY_MS = 1_000;

function fail(status: number, message: string): never {
  process.stderr.write(`vllm-models: ${message}\n`);
  process.exit(status);
}

const url = process.env.VLLM_MODELS_URL ?? '';
const model = process.env.VLLM_MODEL ?? '';
if (!/^https?:\/\/[^\s]+\/v1\/models$/.test(url)) fail(2, `$VLLM_MODELS_URL must be vLLM's http://HOST:PORT/v1/models, not ${JSON.stringify(url)}; the NixOS module sets it with the port`);
if (model === '') fail(2, '$VLLM_MODEL is empty; the NixOS module sets it to dubnium.vllm.model (the --served-model-name)');

/**
 * GET over a plain socket, HTTP/1.0 (the answer ends when the server closes): under --jitless
 * neither fetch() nor node:http can be used, both load undici, whose HTTP parser is WebAssembly.
 */
function get(target: string): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname, search } = new URL(target);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 80), timeout: REQUEST_TIMEOUT_MS });
    let raw = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`GET ${pathname}${search} HTTP/1.0\r\nHost: ${hostname}\r\nAccept: application/json\r\n\r\n`));
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.once('timeout', () => socket.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    socket.once('error', reject);
    socket.once('end', () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1];
      const bodyAt = raw.indexOf('\r\n\r\n');
      if (status === undefined || bodyAt < 0) return reject(new Error(`not an HTTP answer: ${JSON.stringify(raw.slice(0, 120))}`));
      resolve({ status: Number(status), text: raw.slice(bodyAt + 4) });
    });
  });
}

/** The served ids, or why they could not be read this time. */
async function servedModels(): Promise<{ ids: string[] } | { retry: string }> {
  let answer: { status: number; text: string };
  try {
    answer = await get(url);
  } catch (error) {
    return { retry: `GET ${url} failed (${describeError(error)})` };
  }
  if (answer.status !== 200) return { retry: `GET ${url} answered ${answer.status}` };
  const parsed = parseServedModels(answer.text);
  if (!parsed.ok) fail(1, `${parsed.message}: ${parsed.excerpt.join(' ').slice(0, 300)}`);
  return { ids: parsed.value };
}

const deadline = Date.now() + RETRY_FOR_MS;
for (;;) {
  const answer = await servedModels();
  if ('ids' in answer) {
    if (answer.ids.includes(model)) {
      process.stdout.write(`vllm-models: vLLM serves ${model}\n`);
      process.exit(0);
    }
    fail(1, `vLLM serves ${answer.ids.length > 0 ? answer.ids.map((id) => JSON.stringify(id)).join(', ') : 'no model'}, not the configured ${JSON.stringify(model)} (vllm serve --served-model-name)`);
  }
  if (Date.now() > deadline) fail(1, `${answer.retry}; gave up after ${RETRY_FOR_MS} ms`);
  await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
}
