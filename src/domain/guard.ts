/**
 * Gate guards as the office manages them (procedure: 秩序维护员 at the gate post): a name, whether
 * they may override a red verdict (supervisor), whether they still work here, and the PIN they
 * start and end a shift with. The PIN travels once, from the office's form to the server, which
 * keeps and sends to the gates only its salted PBKDF2 hash (pin.ts); no answer ever holds it.
 */
import { z } from 'zod';
import { isGuessablePin, PIN_PATTERN } from './pin';
import { GUARD_ROLES } from './sync/tables';
import { lineText } from './text';

/** Problems carry `params.reason` (pin_format, pin_guessable) so the office's form can word them. */
export const guardPinSchema = z
  .string()
  .refine((p) => PIN_PATTERN.test(p), {
    message: 'a PIN is 4 to 6 digits',
    params: { reason: 'pin_format' },
    abort: true,
  })
  .refine((p) => !isGuessablePin(p), {
    message: 'too easy to guess (repeated or consecutive digits)',
    params: { reason: 'pin_guessable' },
  });

const guardName = lineText(40).pipe(z.string().min(1, 'name is required'));

export const guardCreateSchema = z
  .object({
    name: guardName,
    role: z.enum(GUARD_ROLES).default('guard'),
    pin: guardPinSchema,
  })
  .strict();
export type GuardCreate = z.infer<typeof guardCreateSchema>;

/** A change of name, role or whether the guard still works here; the PIN has its own route. */
export const guardChangeSchema = z
  .object({
    name: guardName.optional(),
    role: z.enum(GUARD_ROLES).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type GuardChange = z.infer<typeof guardChangeSchema>;

export const guardPinInputSchema = z.object({ pin: guardPinSchema }).strict();
