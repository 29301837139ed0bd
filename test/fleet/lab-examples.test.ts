// The lab's Prometheus configuration (examples/prometheus/prometheus.yml) as
// Prometheus itself reads it: `promtool check config` parses it and the rule
// file it names (the alerts beside it); docs/fleet.md ("Running a lab")
// shows the same file.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWhen } from '../sandbox/prerequisites.ts';
import { PROMTOOL_MISSING, promtool } from './promtool.ts';

const CONFIG = new URL('../../examples/prometheus/prometheus.yml', import.meta.url).pathname;
const RULES = new URL('../../examples/prometheus/dubnium-alerts.yml', import.meta.url).pathname;
const DOC = new URL('../../docs/fleet.md', import.meta.url).pathname;

const scratch = mkdtempSync(join(tmpdir(), 'dubnium-lab-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeWhen(PROMTOOL_MISSING, "the lab's Prometheus configuration of docs/fleet.md", () => {
  it('passes promtool check config, with the three alert rules it loads', async () => {
    const result = await promtool(['check', 'config', CONFIG]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.output).toContain('SUCCESS: 3 rules found');
  });

  it('fails the check when the rule file it names is missing (the check reads it)', async () => {
    const copy = join(scratch, 'prometheus.yml');
    writeFileSync(copy, readFileSync(CONFIG, 'utf8'));
    const missing = await promtool(['check', 'config', copy]);
    expect(missing.exitCode, missing.output).not.toBe(0);
    copyFileSync(RULES, join(scratch, 'dubnium-alerts.yml'));
    expect((await promtool(['check', 'config', copy])).exitCode).toBe(0);
  });

  it('is the file docs/fleet.md shows', () => {
    expect(readFileSync(DOC, 'utf8')).toContain(`\`\`\`yaml\n${readFileSync(CONFIG, 'utf8')}\`\`\``);
  });
});
