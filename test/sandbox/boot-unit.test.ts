// mode-boot.service in a real boot transaction, as every controller sandbox
// boots: enabled as its [Install] says (multi-user.target), it runs the real
// `mode boot` under its own hardening after the graphical boot, records the
// boot default and starts the controller, whose run proves it.
import { expect, it } from 'vitest';
import { CONTROLLER_ENTRY } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { withSandbox } from './sandbox.ts';

describeWhen(sandboxPrerequisites(), 'mode-boot.service', () => {
  it('starts the controller at boot for the configured default, and that run proves desktop', async () => {
    await withSandbox({ controller: CONTROLLER_ENTRY }, async (sandbox) => {
      const boot = (await sandbox.show(['mode-boot.service'], ['ActiveState', 'SubState', 'Result', 'ExecMainStatus'])).get('mode-boot.service');
      expect(boot).toMatchObject({ ActiveState: 'active', SubState: 'exited', Result: 'success', ExecMainStatus: '0' });
      await sandbox.waitUntil('the boot run recorded its outcome', () => Promise.resolve(sandbox.readInside('/run/mode-controller/last-transition.json') !== null), 60_000);
      const record = JSON.parse(sandbox.readInside('/run/mode-controller/last-transition.json') ?? '{}') as { target?: string; outcome?: string; generation?: number };
      expect(record).toMatchObject({ target: sandbox.config.boot.defaultMode, outcome: 'noop', generation: 1 });
      const desired = JSON.parse(sandbox.readInside('/run/mode-controller/desired.json') ?? '{}') as Record<string, unknown>;
      expect(desired).toMatchObject({ mode: sandbox.config.boot.defaultMode, generation: 1, via: 'boot', requestedBy: 'boot' });
      const order = (await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '_PID=1'])).stdout;
      const graphical = order.indexOf('Reached target graphical.target');
      expect(graphical).toBeGreaterThan(-1);
      expect(graphical).toBeLessThan(order.indexOf('Starting mode-boot.service'));
    });
  }, 120_000);
});
