/**
 * Text fields that people type. Control characters are refused (they hide text in logs and
 * printouts and break CSV); notes may hold line breaks, single-line fields may not.
 */
import { z } from 'zod';

// C0 and C1 controls and DEL, except tab/newline/carriage return in multi-line text. Matching
// control characters is this pattern's purpose.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

export const lineText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(
      (s) => !CONTROL.test(s) && !LINE_BREAK.test(s),
      'must not contain control characters or line breaks',
    )
    .transform((s) => s.trim());

export const noteText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .transform((s) => s.trim());

/** A secret typed by a person (a password): kept exactly as typed, but never control characters. */
export const secretText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s) && !LINE_BREAK.test(s), 'must not contain control characters');
