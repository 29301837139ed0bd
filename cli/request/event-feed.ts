// New audit events as they are appended, for following a run live: each poll
// reads only what was added since the last one. The log is readable by root
// and the state folder's group; for anyone else the feed stays silent and the
// steps are shown from the record at the end.
import { open, stat } from 'node:fs/promises';
import type { AuditEvent } from '../../schemas/records.ts';
import type * as Validators from '../record-views/validators.generated.js';

// ajv's validators of every record view (170 KB): loaded by the first poll, which comes after the unit was
// started, so the request does not compile them before it records the desired mode (issue 17)
let validatorsLoaded: Promise<typeof Validators> | null = null;
const loadValidators = (): Promise<typeof Validators> => (validatorsLoaded ??= import('../record-views/validators.generated.js'));

export interface EventFeed {
  /** false when the log cannot be read by this user */
  readonly readable: boolean;
  poll(): Promise<AuditEvent[]>;
}

export async function eventFeed(path: string): Promise<EventFeed> {
  let offset = 0;
  let partial = '';
  let readable = true;
  try {
    offset = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') readable = false;
  }
  return {
    get readable() {
      return readable;
    },
    async poll() {
      if (!readable) return [];
      let text: string;
      try {
        const handle = await open(path, 'r');
        try {
          const { size } = await handle.stat();
          // Rotated since the last poll: the new file starts from nothing.
          if (size < offset) {
            offset = 0;
            partial = '';
          }
          const buffer = Buffer.alloc(size - offset);
          await handle.read(buffer, 0, buffer.length, offset);
          offset = size;
          text = partial + buffer.toString('utf8');
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') readable = false;
        return [];
      }
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      const validators = await loadValidators();
      return lines.flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return validators.auditEvent(value) ? [value] : [];
        } catch {
          return [];
        }
      });
    },
  };
}
