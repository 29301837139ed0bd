// What a session user's audio-state publisher (units/dubnium-audio-state@.service,
// running as that user) writes for the root controller, which cannot reach the
// user's sound server itself: ProtectHome=yes hides /run/user, and without
// CAP_DAC_OVERRIDE root cannot enter the user's 0700 runtime folder anyway
// (docs/observation.md, "Audio streams"). The publisher only relays pactl's
// raw result; the controller parses it and judges its freshness.
import * as z from 'zod';
import { CommandEvidence } from './command-evidence.ts';

/** The publisher's RuntimeDirectory= parent: /run/dubnium-audio/<uid>/ exists while dubnium-audio-state@<uid>.service runs. */
export const AUDIO_STATE_ROOT = '/run/dubnium-audio';
export const AUDIO_STATE_FILE = 'state.json';
export const audioStateUnit = (uid: number): string => `dubnium-audio-state@${uid}.service`;

/** bound on the publisher's one pactl call */
export const PUBLISHER_PACTL_TIMEOUT_MS = 5000;

/** A publication older than this is a dead or hung publisher: three missed rounds plus one pactl call that hangs to its timeout. */
export const staleAfterMs = (intervalMs: number): number => intervalMs * 3 + PUBLISHER_PACTL_TIMEOUT_MS;

export const PactlOutcome = z.enum(['ok', 'failed', 'timed-out', 'missing-tool', 'canceled']);

export const PublishedAudioState = z.strictObject({
  schemaVersion: z.literal(1),
  uid: z.int().min(0),
  publisherPid: z.int().min(1),
  /** the kernel's boot id: a file of another boot is never fresh */
  bootId: z.string().nullable(),
  /** CLOCK_MONOTONIC of the publication (effects/monotonic.ts), comparable with the reader's clock in the same boot */
  publishedMonoMs: z.number().min(0),
  publishedAt: z.iso.datetime(),
  /** how often the publisher writes; a reader treats a file older than a few intervals as a dead publisher */
  intervalMs: z.int().min(1),
  /** `pactl list sink-inputs` as the user ran it: its raw stdout and the command evidence */
  pactl: z.strictObject({
    outcome: PactlOutcome,
    description: z.string(),
    stdout: z.string(),
    evidence: CommandEvidence,
  }),
});
export type PublishedAudioState = z.infer<typeof PublishedAudioState>;
