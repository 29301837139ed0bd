import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HARDENING_GROUPS, hardeningSettings, hardeningVariants, parseTimings, timingScript, transientStartArgv } from '../../bench/lib/unit-hardening.ts';

const packaged = readFileSync(new URL('../../units/mode-controller@.service', import.meta.url), 'utf8');

describe('the unit hardening bench', () => {
  const settings = hardeningSettings(packaged);

  it('reads the packaged unit’s hardening block: settings only, to the end of [Service]', () => {
    expect(settings[0]).toBe('CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE');
    expect(settings).toContain('PrivateNetwork=yes');
    expect(settings).toContain('MemoryDenyWriteExecute=yes');
    expect(settings.at(-1)).toBe('SystemCallErrorNumber=EPERM');
    expect(settings.filter((s) => s.startsWith('#') || s.trim() === '')).toEqual([]);
    // ExecStart and the folders come before the block: not hardening
    expect(settings.some((s) => /^(ExecStart|StateDirectory|Environment)=/.test(s))).toBe(false);
  });

  it('stops at the next section', () => {
    expect(hardeningSettings('[Service]\nCapabilityBoundingSet=\nNoNewPrivileges=yes\n[Install]\nWantedBy=x.target\n')).toEqual(['CapabilityBoundingSet=', 'NoNewPrivileges=yes']);
  });

  it('refuses a unit without the block, and a group the unit no longer has', () => {
    expect(() => hardeningSettings('[Service]\nExecStart=/bin/true\n')).toThrow(/no CapabilityBoundingSet= line/);
    expect(() => hardeningVariants(['CapabilityBoundingSet=', 'PrivateTmp=yes'])).toThrow(/none of the read-only file system's settings/);
  });

  it('has the bare and the packaged variant, and one per group that leaves exactly that group out', () => {
    const variants = hardeningVariants(settings);
    expect(variants.map((v) => v.name)).toEqual(['no hardening', 'the packaged hardening', ...Object.keys(HARDENING_GROUPS).map((g) => `without ${g}`)]);
    for (const variant of variants) expect([...variant.settings, ...variant.leftOut].sort()).toEqual([...settings].sort());
    const withoutNetwork = variants.find((v) => v.name === 'without the network namespace')!;
    expect([...withoutNetwork.leftOut].sort()).toEqual(['IPAddressDeny=any', 'PrivateNetwork=yes', 'RestrictAddressFamilies=AF_UNIX']);
  });

  it('starts each as a transient oneshot with the settings as properties', () => {
    const [, packagedVariant] = hardeningVariants(settings);
    const argv = transientStartArgv(packagedVariant!, '/bin/true');
    expect(argv.slice(0, 5)).toEqual(['systemd-run', '--wait', '--quiet', '--collect', '--service-type=oneshot']);
    expect(argv.at(-1)).toBe('/bin/true');
    expect(argv.filter((a) => a === '-p')).toHaveLength(settings.length);
  });
});

describe('the timing script', () => {
  it('runs under /bin/sh, times each start and stops at a failing one', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = timingScript([
      { index: 0, argv: ['/bin/true'] },
      // a quote in an argument reaches the program as it is
      { index: 1, argv: ['/usr/bin/test', "it's", '=', "it's"] },
      { index: 0, argv: ['/bin/true'] },
    ]);
    const ok = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const times = parseTimings(ok.stdout, 2);
    expect(times.map((t) => t.length)).toEqual([2, 1]);
    expect(times.flat().every((ns) => ns > 0)).toBe(true);
    const failing = spawnSync('/bin/sh', ['-c', timingScript([{ index: 1, argv: ['/bin/false'] }, { index: 0, argv: ['/bin/true'] }])], { encoding: 'utf8' });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('start of variant 1 failed');
    expect(failing.stdout).toBe('');
  });

  it('refuses output that is not its own', () => {
    expect(() => parseTimings('0 12\nhello\n', 1)).toThrow(/printed "hello"/);
    expect(() => parseTimings('3 12\n', 2)).toThrow(/printed "3 12"/);
  });
});
