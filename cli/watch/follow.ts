// The watch loop: the state once, then an event whenever the records or the
// audit log change, until the signal aborts. It sleeps in the kernel between
// changes (inotify through node:fs watch): no timer wakes it, so a status bar
// can keep it running all day beside the desktop at no cost. Looks are
// serialized; changes that arrive during one are folded into the next.
import { basename } from 'node:path';
import type { WatchEvent } from '../../schemas/cli-watch.ts';
import { describeError } from '../../shared/describe-error.ts';
import type { RecordFiles } from '../record-views/files.ts';
import { openAuditTail, type AuditTail } from './audit-tail.ts';
import { nextEvents, startWatch, type WatchMemory } from './events.ts';
import { watchFolder, type FolderWatch } from '../../effects/folder-watch.ts';
import { readSnapshot } from './snapshot.ts';

export interface FollowOptions {
  files: RecordFiles;
  signal: AbortSignal;
  emit(event: WatchEvent): void;
  /** a line for stderr; each distinct one is said once */
  notice(text: string): void;
  now?: () => Date;
}

export async function followRecords(options: FollowOptions): Promise<void> {
  const { files, signal } = options;
  const now = (): string => (options.now ?? (() => new Date()))().toISOString();
  const said = new Set<string>();
  const notice = (text: string): void => {
    if (said.has(text)) return;
    said.add(text);
    options.notice(text);
  };

  const runtimeNames = new Set([files.desired, files.lastTransition, files.lastObservation, files.lockHolder].map((path) => basename(path)));
  const stateNames = new Set([files.events, files.intent].map((path) => basename(path)));

  // an object, not a `let`: the closures below assign it, which flow analysis does not see
  const held: { tail: AuditTail | null; looking: Promise<void> | null } = { tail: null, looking: null };
  let memory: WatchMemory | null = null;
  let dirty = false;

  const look = async (): Promise<void> => {
    // the log's end is taken before the first snapshot: an event appended in between is told after the state, not lost
    const tail = (held.tail ??= await openAuditTail(files.events));
    const snapshot = await readSnapshot(files);
    for (const problem of snapshot.problems) notice(problem);
    if (memory === null) {
      const started = startWatch(snapshot, now());
      memory = started.memory;
      options.emit(started.event);
      return;
    }
    // records first, then the log: every log event older than the records is then in hand
    const read = await tail.read();
    if (read.problem !== null) notice(`${read.problem}; the steps of a run are not shown (run mode watch as root or as a member of the state folder's group)`);
    if (read.skipped > 0) notice(`skipping audit lines that are not events in ${files.events} (mode history counts them)`);
    const next = nextEvents(memory, read.events, snapshot, now());
    memory = next.memory;
    for (const event of next.events) options.emit(event);
  };

  const schedule = (): void => {
    dirty = true;
    if (held.looking !== null || signal.aborted) return;
    held.looking = (async () => {
      while (dirty && !signal.aborted) {
        dirty = false;
        try {
          await look();
        } catch (error) {
          notice(`cannot read the records: ${describeError(error)}`);
        }
      }
      held.looking = null;
    })();
  };

  const folder = (dir: string, names: ReadonlySet<string>): FolderWatch =>
    watchFolder(dir, {
      changed: (name) => {
        if (name === null || names.has(name)) schedule();
      },
      waiting: (parent) => notice(`${dir} does not exist yet; waiting for it (watching ${parent})`),
      failed: (message) => notice(message),
    });

  // Watching starts before the first look, so nothing written in between is missed.
  const watches = [folder(files.paths.runtimeDir, runtimeNames), folder(files.paths.stateDir, stateNames)];
  schedule();

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const watch of watches) watch.close();
  await held.looking;
  await held.tail?.close();
}
