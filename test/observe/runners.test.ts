// The runner against fake tools on PATH, as observation calls it (runReadOnly)
// and as the actuators do (runTool, which delegates to it since issue 17).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeResult, type RunCommand } from '../../effects/exec/command-result.ts';
import { runReadOnly } from '../../effects/exec/run-read-only.ts';
import { runTool } from '../../effects/exec/run-tool.ts';
import { fakeTools, isRunning, type FakeTools } from './fake-tools.ts';
import { REAL } from './fixtures.ts';

describe.each([
  ['run-read-only (child_process)', runReadOnly],
  ['run-tool (actuators)', runTool],
] as [string, RunCommand][])('%s', (_name, run) => {
  let tools: FakeTools;
  beforeEach(() => {
    tools = fakeTools();
  });
  afterEach(() => tools.cleanup());

  it('runs the tool found first on PATH with an argv array, the forced environment and its output as evidence', async () => {
    tools.echoes('systemctl');
    const result = await run({ tool: 'systemctl', args: ['show', '--', 'a b.service', '$(id)'], timeoutMs: 5000, env: { ...tools.env, LC_ALL: 'de_DE.UTF-8', SYSTEMD_COLORS: '1' } });
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    const lines = result.stdout.split('\n');
    // no shell: the spaces and $(id) arrive as they are
    expect(lines.slice(0, 4)).toEqual(['arg=show', 'arg=--', 'arg=a b.service', 'arg=$(id)']);
    expect(lines).toEqual(expect.arrayContaining(['LC_ALL=C', 'SYSTEMD_COLORS=0', 'SYSTEMD_PAGER=', 'NO_COLOR=1', 'PAGER=cat']));
    expect(result.evidence).toMatchObject({ argv: [`${tools.dir}/systemctl`, 'show', '--', 'a b.service', '$(id)'], exitCode: 0, signal: null, timedOut: false });
    expect(result.evidence.stdout[0]).toBe('arg=show');
  });

  it('reports a tool that is not on PATH as missing, and says how to fix it', async () => {
    const result = await run({ tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: 5000, env: tools.env });
    expect(result.kind).toBe('missing-tool');
    expect(describeResult(result)).toMatch(/^nvidia-smi was not found \(searched .*dubnium-fake-tools-.*\); install it, or set config\.tools\.nvidiaSmi to its path$/);
  });

  it('uses a config.tools override instead of PATH', async () => {
    tools.prints('my-smi', { stdoutFile: `${REAL}d_nvidia_smi_xml/tesla-t4-515-v11-xorg-and-python.xml` });
    const result = await run({ tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: 5000, tools: { nvidiaSmi: `${tools.dir}/my-smi` }, env: { PATH: '' } });
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.stdout).toContain('<product_name>Tesla T4</product_name>');
  });

  it('returns a non-zero exit as failed, with stderr, never a throw', async () => {
    tools.prints('nvidia-smi', { stderr: 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.', exitCode: 9 });
    const result = await run({ tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: 5000, env: tools.env });
    expect(result).toMatchObject({ kind: 'failed', exitCode: 9 });
    expect(result.evidence.stderr).toEqual(["NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."]);
    expect(describeResult(result)).toMatch(/exited with status 9: NVIDIA-SMI has failed/);
  });

  it('kills a hanging tool at its timeout and leaves no process behind', async () => {
    tools.hangs('nvidia-smi');
    const result = await run({ tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: 300, killGraceMs: 300, env: tools.env });
    expect(result).toMatchObject({ kind: 'timed-out', timeoutMs: 300 });
    expect(result.evidence.timedOut).toBe(true);
    const pid = tools.pidOf('nvidia-smi');
    expect(pid).not.toBeNull();
    expect(isRunning(pid!)).toBe(false);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    tools.hangs('systemctl', { ignoreTerm: true });
    const result = await run({ tool: 'systemctl', args: ['start', '--', 'x.service'], timeoutMs: 300, killGraceMs: 300, env: tools.env });
    expect(result.kind).toBe('timed-out');
    expect(result.evidence.signal).toBe('SIGKILL');
    expect(isRunning(tools.pidOf('systemctl')!)).toBe(false);
  });

  it('stops the tool when the signal aborts, and reports it canceled', async () => {
    tools.hangs('loginctl');
    const controller = new AbortController();
    const pending = run({ tool: 'loginctl', args: ['list-sessions'], timeoutMs: 10_000, killGraceMs: 300, signal: controller.signal, env: tools.env });
    for (let i = 0; i < 100 && tools.pidOf('loginctl') === null; i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('shutting down'));
    const result = await pending;
    expect(result.kind).toBe('canceled');
    expect(isRunning(tools.pidOf('loginctl')!)).toBe(false);
  });

  it('does not start a tool when the signal is already aborted', async () => {
    tools.echoes('systemctl');
    const result = await run({ tool: 'systemctl', args: ['stop', '--', 'x.service'], timeoutMs: 5000, signal: AbortSignal.abort(), env: tools.env });
    expect(result.kind).toBe('canceled');
    expect(tools.pidOf('systemctl')).toBeNull();
  });
});
