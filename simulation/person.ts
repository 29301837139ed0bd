// The person at the simulated desk: whether their session bus takes the
// notification, and whether (and when, on the run's clock) they refuse the
// switch. By default the notification is shown and nobody answers, so the
// switch goes ahead once the grace has passed, as it does on a real desk
// nobody is watching.
import type { Clock, NoticeDelivery, NoticeReport } from '../machines/host.ts';

export interface SimulatedPerson {
  /** false: the session has no bus or notification daemon, so the warning cannot be shown */
  reachable?: boolean;
  /** refuse this long after the warning, from the notification or with `mode cancel` */
  refuses?: { afterMs: number; via: 'notification' | 'mode cancel'; by?: string } | null;
}

/** The host's warn(): shows the notification (or says why not) and refuses when the person does. */
export function warnSimulatedPerson(person: SimulatedPerson, clock: Clock, delivery: NoticeDelivery, report: (event: NoticeReport) => void, signal: AbortSignal): void {
  if (person.reachable === false) {
    report({ type: 'NOTICE_UNDELIVERED', reason: `no session bus for ${delivery.user ?? 'the user'} (simulated): the notification could not be shown` });
  } else {
    report({ type: 'NOTICE_SHOWN', detail: `notification 1 on ${delivery.user ?? 'the user'}'s session bus (simulated)` });
  }
  const refuses = person.refuses;
  if (!refuses) return;
  clock.sleep(refuses.afterMs, signal).then(
    () => report({ type: 'REFUSED', by: refuses.by ?? delivery.user ?? 'unknown', via: refuses.via, at: clock.now().toISOString() }),
    () => undefined,
  );
}
