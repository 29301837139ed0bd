// Stand-in for the session's compositor (kwin_wayland under Plasma 6), run by
// the desktop user's manager as a user unit (compositor.ts's unit is in
// desktop-session.ts). Like a compositor on the NVIDIA driver it holds the
// GPU's nodes open (/dev/nvidia0, /dev/nvidiactl, /dev/nvidia-modeset) for as
// long as it runs, and it is a real client of the session's real X server:
// it completes the X11 connection setup with $DISPLAY (and fails when there
// is no display server), then keeps running until its unit stops, whatever
// becomes of the X server.
import { openSync } from 'node:fs';
import { createConnection } from 'node:net';

process.title = 'compositor-stand-in';
const display = process.env.DISPLAY ?? '';
const number = /^:(\d+)$/.exec(display)?.[1];
if (number === undefined) {
  console.error(`compositor stand-in: DISPLAY must be ":<n>" (a local X server), not ${JSON.stringify(display)}`);
  process.exit(2);
}

const held = ['/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-modeset'].map((path) => ({ path, fd: openSync(path, 'r+') }));
console.log(`compositor stand-in: holding ${held.map((h) => `${h.path} (fd ${h.fd})`).join(', ')}`);

// X11 connection setup, little-endian, no authorization: byte order, pad, protocol 11.0, two empty auth lengths, pad
const SETUP_REQUEST = Buffer.from([0x6c, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const SETUP_TIMEOUT_MS = 10_000;
const RETRY_MS = 200;
const started = Date.now();

function connect(): void {
  const socket = createConnection(`/tmp/.X11-unix/X${number}`);
  socket.once('connect', () => socket.write(SETUP_REQUEST));
  socket.once('data', (reply: Buffer) => {
    // the first byte of the setup reply: 1 success, 0 failed, 2 authenticate
    if (reply[0] !== 1) {
      console.error(`compositor stand-in: the X server on ${display} refused the connection (setup status ${String(reply[0])})`);
      process.exit(1);
    }
    console.log(`compositor stand-in: connected to the X server on ${display}`);
    // kwin_wayland is a display server of its own: it outlives the display manager's X server, and keeps the GPU
    socket.once('close', () => console.log(`compositor stand-in: the X server on ${display} went away; still running`));
  });
  socket.once('error', (error) => {
    if (Date.now() - started > SETUP_TIMEOUT_MS) {
      console.error(`compositor stand-in: no X server on ${display} within ${SETUP_TIMEOUT_MS} ms: ${error.message}`);
      process.exit(1);
    }
    setTimeout(connect, RETRY_MS);
  });
}

connect();
process.on('SIGTERM', () => process.exit(0));
// the held descriptors are no event-loop handles: without this, losing the X connection would end the process
setInterval(() => undefined, 1 << 30);
