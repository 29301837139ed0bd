// The runner for actuators (systemctl start/stop/isolate/set-property,
// loginctl terminate-session) is the observation runner (run-read-only.ts):
// node:child_process with an argv array, no shell, the forced environment, a
// timeout, a cancel signal, escalation to SIGKILL and a hard deadline after it.
// Until issue 17 it was execa with the same options. Loading execa is what
// made a controller run 8 MB larger at its peak (measured: importing execa's
// chunk under `node --jitless` takes the high-water mark from 46 to 54 MB;
// node:child_process alone, 47 MB), for behaviour the two runners already
// shared. test/observe/runners.test.ts holds that contract.
import type { RunCommand } from './command-result.ts';
import { runReadOnly } from './run-read-only.ts';

export const runTool: RunCommand = (request) => runReadOnly(request);
