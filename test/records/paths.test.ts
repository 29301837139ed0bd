import { describe, expect, it } from 'vitest';
import { resolveRecordPaths } from '../../effects/records/paths.ts';

describe('resolveRecordPaths', () => {
  it('defaults to the host paths when nothing is set', () => {
    expect(resolveRecordPaths({ env: {} })).toEqual({
      ok: true,
      paths: { runtimeDir: '/run/mode-controller', stateDir: '/var/lib/mode-controller', configPath: '/etc/dubnium/config.json' },
    });
  });

  it("honours systemd's variables, taking the first of several colon-separated folders", () => {
    const result = resolveRecordPaths({
      env: { RUNTIME_DIRECTORY: '/run/a:/run/b', STATE_DIRECTORY: '/var/lib/s', DUBNIUM_CONFIG: '/tmp/c.json' },
    });
    expect(result).toEqual({ ok: true, paths: { runtimeDir: '/run/a', stateDir: '/var/lib/s', configPath: '/tmp/c.json' } });
  });

  it('lets options override the environment', () => {
    const result = resolveRecordPaths({ env: { RUNTIME_DIRECTORY: '/run/a' }, runtimeDir: '/tmp/r', stateDir: '/tmp/s', configPath: '/tmp/c' });
    expect(result).toEqual({ ok: true, paths: { runtimeDir: '/tmp/r', stateDir: '/tmp/s', configPath: '/tmp/c' } });
  });

  it('treats empty variables as unset', () => {
    const result = resolveRecordPaths({ env: { RUNTIME_DIRECTORY: '', STATE_DIRECTORY: '', DUBNIUM_CONFIG: '' } });
    expect(result.ok && result.paths.runtimeDir).toBe('/run/mode-controller');
  });

  it('refuses a relative path and names the variable to fix', () => {
    const result = resolveRecordPaths({ env: { STATE_DIRECTORY: 'var/lib/x' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/"var\/lib\/x" is not an absolute path; set \$STATE_DIRECTORY/);
  });
});
