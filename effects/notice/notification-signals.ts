// Reads the signals of org.freedesktop.Notifications from `busctl monitor
// --json=short` (one JSON object per message; captured from busctl 252 with
// dunst 1.9 in test/fixtures/real-outputs/busctl_notifications). The daemon
// sends them to the client that called Notify, which has exited by then:
// the monitor sees them all, so the agent's one id is what tells them apart.
export type NotificationSignal =
  | { kind: 'action'; id: number; action: string }
  | { kind: 'closed'; id: number; reason: number };

export function parseNotificationSignal(line: string): NotificationSignal | null {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const m = message as { type?: unknown; interface?: unknown; member?: unknown; payload?: { data?: unknown } };
  if (m.type !== 'signal' || m.interface !== 'org.freedesktop.Notifications' || !Array.isArray(m.payload?.data)) return null;
  const [id, second] = m.payload.data as unknown[];
  if (typeof id !== 'number') return null;
  if (m.member === 'ActionInvoked' && typeof second === 'string') return { kind: 'action', id, action: second };
  if (m.member === 'NotificationClosed' && typeof second === 'number') return { kind: 'closed', id, reason: second };
  return null;
}

/** The spec's reasons a notification closed (Desktop Notifications Specification 1.2). */
export const CLOSE_REASONS: Record<number, string> = { 1: 'it expired', 2: 'the user dismissed it', 3: 'CloseNotification closed it', 4: 'the daemon did not say why' };

/** `u 7`, busctl's answer to Notify: the notification's id. */
export function parseNotifyReply(stdout: string): number | null {
  const match = /^u (\d+)\s*$/.exec(stdout.trim());
  return match ? Number(match[1]) : null;
}
