import { describe, expect, it } from 'vitest';
import { walk, WALK } from '../../../examples/walk.ts';
import { runController } from '../../../machines/run-controller.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';

const runOn = (host: SimulatedHost) => (target: (typeof WALK)[number]) => runController(host, target, { generation: host.request(target).generation });

describe('the demo walk', () => {
  it('proves every request of desktop → studio-local → desktop → compute → desktop', async () => {
    const lines: string[] = [];
    expect(await walk(runOn(new SimulatedHost({ config })), (l) => lines.push(l))).toBe(true);
    expect(lines.filter((l) => / → .*: (succeeded|noop) in /.test(l))).toHaveLength(WALK.length);
    expect(lines.at(-1)).toBe('every request proven: desktop → studio-local → desktop → compute → desktop');
  });

  it('stops at the first unproven request and names its first failed predicate', async () => {
    const lines: string[] = [];
    const host = new SimulatedHost({ config, faults: { gpuNotReleased: true } });
    expect(await walk(runOn(host), (l) => lines.push(l))).toBe(false);
    expect(lines).toContain('    first failed predicate: [gpu-held] display processes hold 712 MiB on compute GPU 0, more than the residual threshold 512 MiB');
    expect(lines.at(-1)).toBe('stopped: compute was not proven (rolled-back)');
  });

  it('on a Slurm node, shows the drain, the wait and the resume, and a warning that does not stop the walk', async () => {
    const lines: string[] = [];
    const slurm = withConfig((c) => {
      c.slurm.enable = true;
    });
    const host = new SimulatedHost({ config: slurm, slurm: { drained: true, reason: 'dubnium: desktop', resumeDoesNotTake: true } });
    expect(await walk(runOn(host), (l) => lines.push(l))).toBe(true);
    expect(lines).toContain('    ok   drain-slurm-node (40 ms)');
    expect(lines).toContain('    FAIL resume-slurm-node (10.0 s): node dubnium-workstation resumed; work-resumed did not hold within 10000 ms (21 observations): node dubnium-workstation is still drained (State=IDLE+DRAIN, Reason=dubnium: desktop)');
    expect(lines.filter((l) => l.startsWith('    warning: [slurm-resume-unproven] compute is proven, but the resume of the Slurm node was not observed'))).toHaveLength(1);
  });
});
