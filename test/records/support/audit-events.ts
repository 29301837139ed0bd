// Arbitrary audit inputs for property tests.
import fc from 'fast-check';
import type { AuditInput } from '../../../effects/records/audit-log.ts';
import { MODES } from '../../../schemas/names.ts';
import { AuditEvent, Outcome } from '../../../schemas/records.ts';
import type { AuditEvent as AuditEventType } from '../../../schemas/records.ts';

const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

export const auditInput: fc.Arbitrary<AuditInput> = fc.record({
  runId: fc.option(fc.string({ maxLength: 40 })),
  event: fc.constantFrom(...AuditEvent.shape.event.options),
  target: fc.option(fc.constantFrom(...MODES)),
  generation: fc.option(fc.nat()),
  outcome: fc.option(fc.constantFrom(...Outcome.options)),
  reason: fc.option(fc.string({ unit: 'binary', maxLength: 300 })),
  detail: fc.option(fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 6 }), { nil: undefined }),
});

/** A whole event, as the log would stamp it. */
export const auditEvent: fc.Arbitrary<AuditEventType> = fc
  .tuple(auditInput, fc.nat(), fc.option(fc.uuid()), fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 0)) }), fc.option(fc.double({ min: 0, max: 1e12, noNaN: true })))
  .map(([input, seq, bootId, wall, monoMs]) => {
    const event: AuditEventType = { ...input, v: 1, seq, bootId, wall: wall.toISOString(), monoMs };
    if (event.detail === undefined) delete event.detail;
    return event;
  });
