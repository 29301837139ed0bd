// The files of a warning before a switch ends someone's session. The root
// controller cannot reach the user's session bus (ProtectHome=yes hides
// /run/user), so, as with the audio state, a unit running as that user does:
// dubnium-notice@<uid>.service reads the controller's request, shows the
// notification and writes what became of it; `mode cancel` leaves a refusal
// beside the request. docs/operator.md has the whole exchange.
import * as z from 'zod';

/** In the controller's runtime folder (/run/mode-controller): the warning of the run counting down. */
export const NOTICE_REQUEST_FILE = 'notice.json';
/** Beside it: a refusal by `mode cancel` (root, or mode-cancel@<user>.service, which polkit lets the session's user start). */
export const REFUSAL_FILE = 'refusal.json';
/** The agent's RuntimeDirectory= parent: /run/dubnium-notice/<uid>/answer.json exists while dubnium-notice@<uid>.service runs. */
export const NOTICE_ANSWER_ROOT = '/run/dubnium-notice';
export const NOTICE_ANSWER_FILE = 'answer.json';
export const noticeUnit = (uid: number): string => `dubnium-notice@${uid}.service`;
export const cancelUnit = (user: string): string => `mode-cancel@${user}.service`;
/** the action the notification offers; invoking it is the refusal */
export const KEEP_ACTION = 'keep';
export const KEEP_ACTION_LABEL = 'Keep my session';

export const NoticeRequestFile = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string().min(1),
  target: z.enum(['desktop', 'studio-local', 'compute']),
  sessionId: z.string(),
  user: z.string().nullable(),
  uid: z.int().min(0),
  summary: z.string(),
  body: z.string(),
  graceMs: z.int().min(0),
  /** CLOCK_MONOTONIC ms when the grace ends: the agent stops listening then */
  deadlineMonoMs: z.number(),
  requestedAt: z.iso.datetime(),
});
export type NoticeRequestFile = z.infer<typeof NoticeRequestFile>;

export const Refusal = z.strictObject({
  schemaVersion: z.literal(1),
  /** the run whose countdown it refuses: a refusal of an earlier run refuses nothing */
  runId: z.string().min(1),
  by: z.string().min(1),
  via: z.enum(['notification', 'mode cancel']),
  at: z.iso.datetime(),
});
export type Refusal = z.infer<typeof Refusal>;

export const NoticeAnswer = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string().min(1),
  uid: z.int().min(0),
  agentPid: z.int().min(1),
  /** the notification daemon's id for it; null until (or unless) it was shown */
  notificationId: z.int().nullable(),
  /** why it could not be shown (no session bus, no notification daemon), in the tool's words */
  undelivered: z.string().nullable(),
  refusal: Refusal.nullable(),
});
export type NoticeAnswer = z.infer<typeof NoticeAnswer>;
