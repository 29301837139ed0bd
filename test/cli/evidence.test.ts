// mode evidence: the bundle writer (tar.gz read back by the system tar), the
// README, and the verb against temporary record folders with fake tools on
// PATH, one of which fails, one hangs past its timeout... and one is missing.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectPiece, type PieceResult } from '../../cli/evidence/collect.ts';
import { PIECES } from '../../cli/evidence/pieces.ts';
import { readme } from '../../cli/evidence/readme.ts';
import { tarGz } from '../../cli/evidence/tar-gz.ts';
import { bundleEntries } from '../../cli/evidence/write.ts';
import { main } from '../../cli/main.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { paint } from '../../cli/color.ts';
import type { Io } from '../../cli/io.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { proven, transition, writeRecords } from './support/records.ts';

const facts = { createdAt: '2026-12-03T11:00:00.000Z', hostname: 'dubnium-workstation', uid: 1000, modeVersion: '0.1.0', nodeVersion: 'v22.12.0' };
const result = (file: string, over: Partial<PieceResult> = {}): PieceResult => ({
  file, what: `the ${file}`, from: `cat ${file}`, exitCode: 0, signal: null, timedOut: false, durationMs: 1, stderr: '', note: null, content: Buffer.from(`${file}\n`), ...over,
});

describe('tarGz', () => {
  it('writes an archive the system tar lists and extracts byte for byte', () => {
    const dirs = cliDirs();
    try {
      const big = Buffer.alloc(70_000, 'x');
      const archive = join(dirs.root, 'b.tar.gz');
      writeFileSync(archive, tarGz('bundle', [{ name: 'a.txt', content: Buffer.from('hello\n') }, { name: 'big.xml', content: big }, { name: 'empty', content: Buffer.alloc(0) }], 1_700_000_000));
      const list = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout.split('\n').filter(Boolean)).toEqual(['bundle/', 'bundle/a.txt', 'bundle/big.xml', 'bundle/empty']);
      const out = join(dirs.root, 'x');
      mkdirSync(out);
      expect(spawnSync('tar', ['-xzf', archive, '-C', out]).status).toBe(0);
      expect(readFileSync(join(out, 'bundle', 'a.txt'), 'utf8')).toBe('hello\n');
      expect(readFileSync(join(out, 'bundle', 'big.xml')).equals(big)).toBe(true);
    } finally {
      dirs.cleanup();
    }
  });

  it('refuses a name with a slash', () => {
    expect(() => tarGz('b', [{ name: '../x', content: Buffer.alloc(0) }], 0)).toThrow(/bare file name/);
  });
});

describe('the README and the manifest', () => {
  const results = [
    result('status.txt', { exitCode: 7 }),
    result('history.json', { exitCode: 77, stderr: 'mode: not readable\n', content: Buffer.alloc(0), asUser: 'the audit log is readable by root only' }),
    result('last-guards.json', { exitCode: null, note: '/run/x does not exist', content: Buffer.alloc(0) }),
  ];

  it('names each file with where it came from and how it ended, and what a user who is not root lacks', () => {
    const text = readme(facts, results);
    expect(text).toContain('by uid 1000, mode 0.1.0, node v22.12.0');
    expect(text).toMatch(/not root.*\n {2}history\.json: the audit log is readable by root only/);
    expect(text).toMatch(/status\.txt +the status\.txt\n +from: cat status\.txt; exit 7\n/);
    expect(text).toMatch(/history\.json +the history\.json\n +from: cat history\.json; exit 77, stderr in history\.json\.stderr/);
    expect(text).toContain('last-guards.json; not in the bundle: /run/x does not exist');
    expect(readme({ ...facts, uid: 0 }, results)).not.toContain('not root');
  });

  it('keeps stderr beside its piece, leaves out a file that could not be read, and lists every piece in manifest.json', () => {
    const entries = bundleEntries(facts, results);
    expect(entries.map((e) => e.name)).toEqual(['README.txt', 'status.txt', 'history.json', 'history.json.stderr', 'manifest.json']);
    const manifest = JSON.parse(entries.at(-1)!.content.toString()) as { pieces: { file: string; exitCode: number | null; stderr: string; bytes: number }[] };
    expect(manifest.pieces.map((p) => [p.file, p.exitCode, p.bytes])).toEqual([['status.txt', 7, 11], ['history.json', 77, 0], ['last-guards.json', null, 0]]);
    expect(manifest.pieces[1]?.stderr).toBe('mode: not readable\n');
  });
});

describe('mode evidence', () => {
  let dirs: CliDirs;
  let bin: string;
  beforeEach(async () => {
    dirs = cliDirs();
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded'), observation: proven('desktop') });
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
    bin = join(dirs.root, 'bin');
    mkdirSync(bin);
    const tool = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool('systemctl', 'echo "systemctl $*"; echo "Unit vllm.service could not be found." >&2; exit 3');
    tool('nvidia-smi', 'if [ "$1" = -q ] && [ -n "$FAKE_SLOW" ]; then exec /bin/sleep 60; fi; echo "NVIDIA-SMI 550.1"');
    // journalctl is absent: PATH holds only the fakes (their #! names /bin/sh itself)
  });
  afterEach(() => dirs.cleanup());

  const capture = (): Io & { text: { out: string; err: string } } => {
    const text = { out: '', err: '' };
    return { text, out: (t) => void (text.out += t), err: (t) => void (text.err += t), paint: paint(false), paintErr: paint(false), env: { ...dirs.env, PATH: bin }, stdin: process.stdin, interactive: false };
  };

  it('keeps a failing, a timed-out and a missing tool as results and still runs the rest', async () => {
    const io = capture();
    const ctx = { paths: { runtimeDir: dirs.env.RUNTIME_DIRECTORY!, stateDir: dirs.env.STATE_DIRECTORY!, configPath: dirs.env.DUBNIUM_CONFIG! }, env: { ...io.env, FAKE_SLOW: '1' } as NodeJS.ProcessEnv, tools: undefined, configOption: undefined, runVerb: main };
    const piece = (file: string) => PIECES.find((p) => p.file === file)!;
    const status = await collectPiece(piece('systemctl-status.txt'), ctx);
    expect([status.exitCode, status.stderr, status.content.toString()]).toEqual([3, 'Unit vllm.service could not be found.\n', expect.stringContaining('systemctl status --no-pager') as string]);
    const slow = await collectPiece({ ...piece('nvidia-smi-q.xml'), source: { kind: 'program', tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: 300 } }, ctx);
    expect([slow.timedOut, slow.note]).toEqual([true, expect.stringContaining('did not finish within 300 ms')]);
    const journal = await collectPiece(piece('journal-vllm.txt'), ctx);
    expect(journal.note).toMatch(/journalctl was not found .*set config\.tools\.journalctl to its path/);
    // the advice works: config.tools.journalctl names a journalctl outside PATH, as for every other tool
    const pinned = join(dirs.root, 'journalctl');
    writeFileSync(pinned, '#!/bin/sh\necho "journal $*"\n');
    chmodSync(pinned, 0o755);
    const found = await collectPiece(piece('journal-vllm.txt'), { ...ctx, tools: { journalctl: pinned } });
    expect([found.exitCode, found.from, found.content.toString()]).toEqual([0, expect.stringMatching(/^\S+\/journalctl -u vllm\.service -b /) as string, expect.stringContaining('journal -u vllm.service -b') as string]);
    const verb = await collectPiece(piece('current.json'), ctx);
    expect(verb.exitCode).toBe(0);
    expect(JSON.parse(verb.content.toString())).toMatchObject({ observed: { mode: 'desktop' } });
  }, 20_000);

  it('writes the folder and the .tar.gz beside it, prints both and exits 0; refuses a folder that is not empty', async () => {
    const out = join(dirs.root, 'evidence');
    const io = capture();
    expect(await main(['evidence', '--output', out], io)).toBe(EXIT.ok);
    expect(io.text.out).toBe(`${out}\n${out}.tar.gz\n`);
    for (const file of ['README.txt', 'manifest.json', 'status.txt', 'current.json', 'last-transition.json', 'last-observation.json', 'desired.json', 'config.json', 'systemctl-status.txt', 'systemctl-status.txt.stderr']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(existsSync(join(out, 'last-guards.json'))).toBe(false);
    expect(io.text.err).toMatch(/pieces ended with an error \(kept in the bundle\)/);
    const list = spawnSync('tar', ['-tzf', `${out}.tar.gz`], { encoding: 'utf8' });
    expect(list.stdout).toContain('evidence/README.txt\n');
    const again = capture();
    expect(await main(['evidence', '--output', out], again)).toBe(EXIT.usage);
    expect(again.text.err).toContain('is not empty');
  }, 60_000);

  it('runs the config.tools a config names, but as root not those of a config someone else could write', async () => {
    const pinned = join(dirs.root, 'pinned-systemctl');
    writeFileSync(pinned, '#!/bin/sh\necho pinned\n');
    chmodSync(pinned, 0o755);
    const config = JSON.parse(readFileSync(dirs.env.DUBNIUM_CONFIG!, 'utf8')) as { tools?: Record<string, string> };
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, JSON.stringify({ ...config, tools: { ...config.tools, systemctl: pinned } }));
    const systemctlFrom = async (out: string): Promise<string> => {
      expect(await main(['evidence', '--output', out], capture())).toBe(EXIT.ok);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { pieces: { file: string; from: string }[] };
      return manifest.pieces.find((p) => p.file === 'systemctl-status.txt')!.from;
    };
    expect(await systemctlFrom(join(dirs.root, 'as-user'))).toMatch(/^\S+\/pinned-systemctl status /);
    // writable by others (and, unless the test runs as root, not root's): readConfigJson refuses it for root
    chmodSync(dirs.env.DUBNIUM_CONFIG!, 0o666);
    const asRoot = vi.spyOn(process, 'getuid').mockReturnValue(0);
    try {
      const fromPath = `${join(bin, 'systemctl')} status `;
      expect((await systemctlFrom(join(dirs.root, 'as-root'))).slice(0, fromPath.length)).toBe(fromPath);
    } finally {
      asRoot.mockRestore();
    }
  }, 60_000);
});
