// The simulated desktop's PipeWire, as the sandbox's real one runs with
// rtkit: one daemon in the user's pipewire.service whose data thread rtkit
// made SCHED_RR at priority 20 (test/sandbox/e2e-studio-slices.test.ts
// measures that), the main thread SCHED_OTHER. Both are named pipewire, as
// Debian 12's 0.3.65 leaves them (test/fixtures/real-outputs/m_proc_task_stat).
import type { AudioRealtime } from '../schemas/facts.ts';

export const REALTIME_PIPEWIRE: AudioRealtime = {
  servers: [
    {
      pid: 1510,
      command: 'pipewire',
      uid: 1000,
      unit: 'user@1000.service',
      userUnit: 'pipewire.service',
      threads: [
        { tid: 1510, name: 'pipewire', policy: 'SCHED_OTHER', rtPriority: 0 },
        { tid: 1545, name: 'pipewire', policy: 'SCHED_RR', rtPriority: 20 },
      ],
    },
  ],
  rtkit: [{ pid: 900, name: 'rtkit-daemon' }],
};
