// The stand-in GPU: device nodes at the paths the NVIDIA driver creates
// (/dev/nvidia0 for GPU minor 0, /dev/nvidiactl, /dev/nvidia-modeset,
// /dev/nvidia-uvm). There is no GPU here, so each is a character device with
// the numbers of /dev/null (1:3): a real device node that any process can
// open without a driver (reads see EOF, writes vanish), which units with
// PrivateDevices=yes do not see, as with the real ones. The display server,
// the compositor and vLLM hold them open for as long as they run; the fake
// nvidia-smi and the controller find them by /proc/<pid>/fd alone.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The nodes, by name under /dev. */
export const GPU_NODES = ['nvidia0', 'nvidiactl', 'nvidia-modeset', 'nvidia-uvm'] as const;
export type GpuNodeName = (typeof GPU_NODES)[number];

/** The node of the one stand-in GPU (the template's <minor_number> is 0). */
export const GPU_DEVICE = '/dev/nvidia0';

/** Makes the nodes in <dir>/gpu (host side) and returns the binds that put them under /dev inside. */
export function makeGpuNodes(dir: string): { source: string; target: string }[] {
  const folder = join(dir, 'gpu');
  mkdirSync(folder, { recursive: true });
  return GPU_NODES.map((name) => {
    const source = join(folder, name);
    // node has no mknod(2); coreutils' mknod makes the node, bounded like every tool call
    execFileSync('mknod', ['--', source, 'c', '1', '3'], { timeout: 5_000, stdio: ['ignore', 'pipe', 'pipe'] });
    // the driver's nodes are 0666: the desktop user's compositor opens them as well as root's services
    chmodSync(source, 0o666);
    return { source, target: `/dev/${name}` };
  });
}
