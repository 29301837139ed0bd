// The lab's alerts (examples/prometheus/dubnium-alerts.yml) as Prometheus
// itself judges them: `promtool check rules` parses them, `promtool test
// rules` (test/fleet/alert-rules.yml) runs them over series shaped like
// dubnium.prom and says when each fires; docs/fleet.md shows the same file.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWhen } from '../sandbox/prerequisites.ts';
import { PROMTOOL_MISSING, promtool } from './promtool.ts';

const RULES = new URL('../../examples/prometheus/dubnium-alerts.yml', import.meta.url).pathname;
const RULE_TESTS = new URL('./alert-rules.yml', import.meta.url).pathname;
const DOC = new URL('../../docs/fleet.md', import.meta.url).pathname;

const scratch = mkdtempSync(join(tmpdir(), 'dubnium-alert-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The rule tests run against `rules` instead of the shipped file, laid out as the test file expects. */
function withRules(rules: string): string {
  const dir = join(scratch, String(Math.random()).slice(2));
  mkdirSync(join(dir, 'examples', 'prometheus'), { recursive: true });
  mkdirSync(join(dir, 'test', 'fleet'), { recursive: true });
  writeFileSync(join(dir, 'examples', 'prometheus', 'dubnium-alerts.yml'), rules);
  copyFileSync(RULE_TESTS, join(dir, 'test', 'fleet', 'alert-rules.yml'));
  return join(dir, 'test', 'fleet', 'alert-rules.yml');
}

describeWhen(PROMTOOL_MISSING, 'the alert rules of docs/fleet.md', () => {
  it('pass promtool check rules', async () => {
    expect(await promtool(['check', 'rules', RULES])).toMatchObject({ exitCode: 0, output: expect.stringContaining('SUCCESS: 3 rules found') as string });
  });

  it('fire when the rule tests say: pending for 10 min, a rolled-back switch for 15 min, degraded for 5 min', async () => {
    const result = await promtool(['test', 'rules', RULE_TESTS]);
    expect(result.output).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ['pending alerting after 1 minute', (rules: string) => rules.replace('for: 10m', 'for: 1m')],
    ['the rolled-back alert on the counter instead of the timestamp', (rules: string) => rules.replace(/time\(\) - dubnium_last_transition_timestamp_seconds\{([^}]*)\} < 900/, 'increase(dubnium_transitions_total{$1}[15m]) > 0')],
    ['the degraded alert on another mode', (rules: string) => rules.replace('mode="degraded"', 'mode="compute"')],
  ])('fail the rule tests when broken: %s', async (_name, breakIt) => {
    const shipped = readFileSync(RULES, 'utf8');
    const broken = breakIt(shipped);
    expect(broken).not.toBe(shipped);
    const result = await promtool(['test', 'rules', withRules(broken)]);
    expect(result.exitCode, result.output).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });

  it('are the file docs/fleet.md shows', () => {
    expect(readFileSync(DOC, 'utf8')).toContain(`\`\`\`yaml\n${readFileSync(RULES, 'utf8')}\`\`\``);
  });
});
