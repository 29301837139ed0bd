// Names that end up in argv of systemctl/loginctl or in file paths. They are
// allowlisted here, once, so that no glob (`stop '*'` stops every loaded unit),
// escape or option-looking word can reach an actuator from config or a CLI.
import * as z from 'zod';
import { MODES, OBSERVED_ONLY_MODES } from './modes.ts';

export { MODES, OBSERVED_ONLY_MODES };
export const ModeName = z.enum(MODES);
export type ModeName = z.infer<typeof ModeName>;

/** A mode, or `degraded`/`unknown`, which classification can yield but nobody can request. */
export const ObservedModeName = z.enum([...MODES, ...OBSERVED_ONLY_MODES]);
export type ObservedModeName = z.infer<typeof ObservedModeName>;

const UNIT_NAME = /^[A-Za-z0-9][A-Za-z0-9:_.@-]{0,240}\.(service|target|slice|socket|mount|scope|timer|path)$/;

export const UnitName = z
  .string()
  .regex(UNIT_NAME, {
    message:
      'must be a plain systemd unit name such as "vllm.service": letters, digits and ":_.@-" with a unit suffix; globs, spaces, backslash escapes and a leading "-" are refused',
  });
export type UnitName = z.infer<typeof UnitName>;

export const SliceName = UnitName.refine((name) => name.endsWith('.slice'), { message: 'must name a .slice unit' });
export const TargetName = UnitName.refine((name) => name.endsWith('.target'), { message: 'must name a .target unit' });

export const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\0'), {
    message: 'must be an absolute path without ".." segments',
  });

export const isModeName = (value: unknown): value is ModeName => ModeName.safeParse(value).success;
