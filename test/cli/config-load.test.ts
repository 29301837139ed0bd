// A config a person wrote is read strictly: every problem names the file, the
// place (line and column, or JSON path) and what is wrong, and never shows a
// stack. The scanner behind duplicate-key detection is checked against
// JSON.parse on generated documents.
import { mkdtempSync, rmSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineColumn, parseStrictJson } from '../../cli/config/json-text.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { runCli } from './support/cli.ts';

const example = readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8');

describe('parseStrictJson', () => {
  it('gives line and column of a syntax error', () => {
    const result = parseStrictJson('{\n  "a": 1\n  "b": 2\n}');
    expect(result).toEqual({ ok: false, problem: "line 3, column 3: not valid JSON: Expected ',' or '}' after property value" });
    expect(parseStrictJson('{"a": 1,}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^line 1, column 9: /) as unknown });
    expect(parseStrictJson('{"a":')).toMatchObject({ ok: false, problem: 'line 1, column 6: not valid JSON: Unexpected end of JSON input' });
  });

  it('refuses a byte order mark, an empty file, duplicate and prototype keys, naming where', () => {
    expect(parseStrictJson('\ufeff{}')).toMatchObject({ ok: false, problem: expect.stringContaining('byte order mark') as unknown });
    expect(parseStrictJson('  \n')).toEqual({ ok: false, problem: 'the file is empty' });
    expect(parseStrictJson('{"units": {"vllm": "a.service",\n "vllm": "b.service"}}')).toEqual({
      ok: false,
      problem: 'line 2, column 2: duplicate key "vllm" at units.vllm; JSON keeps only the last one, so remove one of them',
    });
    expect(parseStrictJson('{"a": [{"x": 1}, {"__proto__": {"polluted": true}}]}')).toMatchObject({ ok: false, problem: expect.stringContaining('key "__proto__" at a.1.__proto__ is not allowed') as unknown });
    expect(parseStrictJson('{"a": "{\\"b\\": 1, \\"b\\": 2}"}')).toEqual({ ok: true, value: { a: '{"b": 1, "b": 2}' } });
  });

  test.prop([fc.jsonValue()], { numRuns: 300 })('accepts exactly what JSON.parse accepts when no key repeats or is reserved', (value) => {
    const text = JSON.stringify(value, null, 1);
    const reserved = /"(__proto__|constructor|prototype)":/.test(text);
    const result = parseStrictJson(text);
    if (reserved) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, value: JSON.parse(text) as unknown });
  });

  test.prop([fc.string(), fc.nat(50)])('lineColumn counts from 1', (text, n) => {
    const offset = Math.min(n, text.length);
    const { line, column } = lineColumn(text, offset);
    expect(line).toBe(text.slice(0, offset).split('\n').length);
    expect(column).toBeGreaterThanOrEqual(1);
  });
});

describe('a bad config on the command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dubnium-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const guards = async (text: string | null, mode = 0o644) => {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    if (text !== null) {
      writeFileSync(path, text);
      chmodSync(path, mode);
    }
    const result = await runCli(['guards', 'compute', '--config', path]);
    return { ...result, path };
  };

  it('names the file, the JSON path and the problem for a schema error', async () => {
    const config = JSON.parse(example) as { units: { vllm: string }; hardware: { displayGpu: unknown } };
    config.units.vllm = 'vllm service*';
    config.hardware.displayGpu = 'zero';
    const r = await guards(JSON.stringify(config));
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toContain(`${r.path}: does not match the config schema`);
    expect(r.stderr).toContain('at units.vllm: must be a plain systemd unit name');
    expect(r.stderr).toContain('at hardware.displayGpu:');
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('names a missing file and what to do', async () => {
    const r = await guards(null);
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toContain(`${r.path}: does not exist`);
    expect(r.stderr).toContain('DUBNIUM_CONFIG');
  });

  it('gives the line of a syntax error and refuses a config others may write', async () => {
    const r = await guards(example.replace('"hostname"', '"hostname" "x"'));
    expect(r.stderr).toMatch(/line 3, column \d+: not valid JSON/);
    if (process.getuid?.() === 0) {
      const writable = await guards(example, 0o666);
      expect(writable.code).toBe(EXIT.config);
      expect(writable.stderr).toContain('writable by group or others');
    }
  });

  it('refuses a config over 1 MiB', async () => {
    const r = await guards(`${example.trimEnd().slice(0, -1)}, "padding": "${'x'.repeat(1024 * 1024)}"}`);
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toContain('a config may have at most 1048576');
  });
});
