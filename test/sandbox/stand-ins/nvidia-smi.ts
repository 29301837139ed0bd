// Fake nvidia-smi for the sandbox, put first on the controller's PATH. It
// answers the forms the controller uses, in the real formats: `-q -x` (a real
// capture with the live processes, see ../templates/README.md) and the CSV
// queries. It runs inside the sandbox under the controller's hardening
// (MemoryDenyWriteExecute), so it is bundled to plain JavaScript and run with
// node --jitless; its template and the world folder sit beside the bundle.
import { readFileSync } from 'node:fs';
import { CONTROL_FILES, DEFAULT_GPU, readControl } from './control.ts';
import { readGpuState } from './gpu-state.ts';
import { parseFormat, renderComputeApps, renderQueryGpu, renderXml } from './nvidia-smi-render.ts';

const here = new URL('.', import.meta.url);
const TEMPLATE = new URL('nvidia-smi-template.xml', here);
const CONTROL = new URL(`../world/${CONTROL_FILES.gpu}`, here);

function fail(message: string, status: number): never {
  process.stdout.write(message);
  process.exit(status);
}

/** `--name=value` or `--name value`; returns the value and the rest of argv. */
function option(argv: string[], name: string): string | undefined {
  const index = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index] as string;
  if (arg.includes('=')) return arg.slice(name.length + 1);
  return argv[index + 1];
}

async function main(argv: string[]): Promise<void> {
  const control = readControl(CONTROL.pathname, DEFAULT_GPU);
  if (control.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, control.delayMs));
  if (control.failure) fail(control.failure.stdout, control.failure.exitCode);
  const template = readFileSync(TEMPLATE, 'utf8');
  const state = readGpuState(control, new Date());

  const xml = argv.includes('-x') || argv.includes('--xml-format');
  const query = argv.includes('-q') || argv.includes('--query');
  if (xml && query) {
    process.stdout.write(renderXml(template, state));
    return;
  }
  const gpuFields = option(argv, '--query-gpu');
  const appFields = option(argv, '--query-compute-apps');
  const format = option(argv, '--format');
  if ((gpuFields !== undefined || appFields !== undefined) && format !== undefined) {
    const csvFormat = parseFormat(format);
    if (!csvFormat) fail(`"${format}" is not a valid format (the fake answers csv[,noheader][,nounits]).\n`, 2);
    const fields = (gpuFields ?? appFields ?? '').split(',').map((f) => f.trim());
    const result = gpuFields !== undefined ? renderQueryGpu(fields, csvFormat, template, state) : renderComputeApps(fields, csvFormat, template, state);
    if (!result.ok) fail(result.message, 2);
    process.stdout.write(result.text);
    return;
  }
  fail(`fake nvidia-smi (sandbox): "${argv.join(' ')}" is not a form it answers; use -q -x, or --query-gpu=... / --query-compute-apps=... with --format=csv\n`, 2);
}

await main(process.argv.slice(2));
