// The CLI writes stdout and stderr with write(2) (cli/std-write.ts), not through Node's streams:
// the output must stay whole and in order whatever the descriptor is, and a reader that
// goes away must end the command quietly.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODE_TS } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { proven, transition, writeRecords } from './support/records.ts';

let dirs: CliDirs;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  dirs = cliDirs();
  await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
  env = { PATH: process.env.PATH, ...dirs.env, NO_COLOR: '1' };
});
afterAll(() => dirs.cleanup());

const python = spawnSync('python3', ['--version']).status === 0;

describe('writing to stdout', () => {
  it('ends quietly, with the exit it had decided, when the reader closes the pipe', async () => {
    const child = spawn(process.execPath, [MODE_TS, 'explain', 'compute', '--format', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  // A descriptor shared with a parent that made it non-blocking refuses a write that does not fit (EAGAIN);
  // the rest must wait for the reader, not be lost. The JSON chart is larger than a pipe's 64 KiB.
  it.runIf(python)('loses nothing when stdout is a full non-blocking pipe', () => {
    const whole = spawnSync(process.execPath, [MODE_TS, 'explain', 'compute', '--format', 'json'], { env, encoding: 'utf8' });
    expect(whole.stdout.length).toBeGreaterThan(65536);
    const script = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(1.5)',
      'data = b""',
      'while True:',
      '    chunk = os.read(r, 65536)',
      '    if not chunk: break',
      '    data += chunk',
      'sys.stdout.buffer.write(data)',
      'sys.exit(p.wait())',
    ].join('\n');
    const viaFullPipe = spawnSync('python3', ['-c', script, process.execPath, MODE_TS, 'explain', 'compute', '--format', 'json'], { env, encoding: 'utf8', maxBuffer: 4 << 20 });
    expect(viaFullPipe.status, viaFullPipe.stderr).toBe(0);
    // each run observes the machine anew, so the texts differ in their facts; a lost or reordered chunk would break the JSON
    expect(viaFullPipe.stdout.length).toBeGreaterThan(65536);
    expect(Object.keys(JSON.parse(viaFullPipe.stdout) as object)).toEqual(Object.keys(JSON.parse(whole.stdout) as object));
  }, 30_000);

  it('still gives a file the whole output', () => {
    const file = `${dirs.root}/out.txt`;
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${MODE_TS}" status --json > "${file}"`], { env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ observed: { mode: 'desktop' } });
  });
});
