// mode-boot.service in a real boot transaction: enabled as its [Install]
// says (multi-user.target), it runs under its own hardening after the
// graphical boot and starts the controller, whose run proves the boot
// default. `mode boot` is not written yet, so a stand-in script does exactly
// what it must: start mode-controller@<default>.service without waiting.
import { expect, it } from 'vitest';
import { CONTROLLER_ENTRY } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { withSandbox } from './sandbox.ts';

const MODE_BOOT_STAND_IN = `set -e
mode=$(sed -n 's/.*"defaultMode": *"\\([a-z-]*\\)".*/\\1/p' "$DUBNIUM_CONFIG")
systemctl start --no-block -- "mode-controller@$mode.service"
`;

describeWhen(sandboxPrerequisites(), 'mode-boot.service', () => {
  it('starts the controller at boot for the configured default, and that run proves desktop', async () => {
    await withSandbox({ controller: CONTROLLER_ENTRY, bootProgram: { script: MODE_BOOT_STAND_IN } }, async (sandbox) => {
      const boot = (await sandbox.show(['mode-boot.service'], ['ActiveState', 'Result', 'ExecMainStatus'])).get('mode-boot.service');
      expect(boot).toMatchObject({ Result: 'success', ExecMainStatus: '0' });
      await sandbox.waitUntil('the boot run recorded its outcome', () => Promise.resolve(sandbox.readInside('/run/mode-controller/last-transition.json') !== null), 60_000);
      const record = JSON.parse(sandbox.readInside('/run/mode-controller/last-transition.json') ?? '{}') as { target?: string; outcome?: string };
      expect(record).toMatchObject({ target: sandbox.config.boot.defaultMode, outcome: 'noop' });
      const order = (await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '_PID=1'])).stdout;
      const graphical = order.indexOf('Reached target graphical.target');
      expect(graphical).toBeGreaterThan(-1);
      expect(graphical).toBeLessThan(order.indexOf('Starting mode-boot.service'));
    });
  }, 120_000);
});
