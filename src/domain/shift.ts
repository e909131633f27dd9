/**
 * Guard shifts at the gate: a guard starts a shift with their PIN, and every record the gate makes
 * until it ends names them. A shift ends when its guard (or a supervisor) ends it with a PIN, or
 * when the next guard starts one at the same gate without the first having ended it (taken over).
 *
 * The `shift.start` and `shift.end` events carry the guard in the payload as well as in the
 * envelope, so the office's shift register never depends on an envelope field being filled.
 */
import { z } from 'zod';
import { ULID_PATTERN } from './ids';

const guardId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);
const shiftId = z.string().regex(ULID_PATTERN, 'must be a ULID');

export const shiftStartPayloadSchema = z.object({ shiftId, guardId }).strict();
export type ShiftStartPayload = z.infer<typeof shiftStartPayloadSchema>;

export const SHIFT_END_REASONS = ['ended', 'taken_over'] as const;
export type ShiftEndReason = (typeof SHIFT_END_REASONS)[number];

export const shiftEndPayloadSchema = z
  .object({
    shiftId,
    /** The guard whose shift it was (not whoever typed the PIN to end it). */
    guardId,
    reason: z.enum(SHIFT_END_REASONS),
    /** Passages this gate recorded during the shift, for the office's shift register. */
    passages: z.number().int().min(0),
  })
  .strict();
export type ShiftEndPayload = z.infer<typeof shiftEndPayloadSchema>;
