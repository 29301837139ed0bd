// Run ids and temp-file names come from the kernel's UUID source
// (effects/kernel-uuid.ts), and from Web Crypto where it cannot be read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomHex8, randomUuid } from '../../effects/kernel-uuid.ts';
import { tempPathFor, TEMP_NAME } from '../../effects/records/atomic-write.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('kernel UUIDs', () => {
  it('answers with what the source says when it is a v4 UUID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-uuid-'));
    try {
      const source = join(dir, 'uuid');
      writeFileSync(source, '2f1c7a3e-9b4d-4e21-8a6f-0c5d3b7e9a12\n');
      expect(randomUuid(source)).toBe('2f1c7a3e-9b4d-4e21-8a6f-0c5d3b7e9a12');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a new v4 UUID at each call', () => {
    const ids = Array.from({ length: 50 }, () => randomUuid());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a new v4 UUID of its own (Web Crypto) when the source cannot be read or says something else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-uuid-'));
    try {
      // a source that holds a UUID, but not a v4 one: what it says is not taken
      const v1 = join(dir, 'uuid');
      writeFileSync(v1, 'c232ab00-9414-11ec-b3c8-9f6bdeced846\n');
      const answers = [randomUuid('/nonexistent/uuid'), randomUuid('/nonexistent/uuid'), randomUuid('/proc/self/comm'), randomUuid(v1)];
      for (const id of answers) expect(id).toMatch(V4);
      expect(answers).not.toContain('c232ab00-9414-11ec-b3c8-9f6bdeced846');
      expect(new Set(answers).size).toBe(answers.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names temp files with eight random hex digits, as the sweep expects', () => {
    expect(randomHex8()).toMatch(/^[0-9a-f]{8}$/);
    const temp = tempPathFor('/run/mode-controller/desired.json');
    expect(temp).toMatch(new RegExp(`^/run/mode-controller/desired\\.json\\.tmp-${process.pid}-[0-9a-f]{8}$`));
    expect(TEMP_NAME.exec(temp.split('/').pop()!)?.groups?.target).toBe('desired.json');
  });
});
