/**
 * Validation problems in the clerk's language. The shared schemas (src/domain/card.ts) give each
 * rule's problem a stable reason; the server's answers carry the same reasons for the rules that
 * only it checks (a renewal's window, a photo's size). Anything unknown shows as the server said.
 */
import type { z } from 'zod';
import type { FieldError } from './api';
import { t, type OfficeKey } from './messages';

const REASONS: Record<string, OfficeKey> = {
  // ID numbers (rules/identity-documents.ts, rules/resident-id.ts)
  empty: 'problem.required',
  length: 'problem.idLength',
  legacy_15: 'problem.idLegacy15',
  characters: 'problem.idCharacters',
  format: 'problem.idFormat',
  region: 'problem.idRegion',
  birth_date: 'problem.idBirthDate',
  checksum: 'problem.idChecksum',
  // mobile numbers (rules/phone.ts)
  prefix: 'problem.phone',
  // validity (rules/card-validity.ts)
  too_far_in_past: 'problem.tooFarInPast',
  not_after_from: 'problem.notAfterFrom',
  already_expired: 'problem.alreadyExpired',
  exceeds_max_months: 'problem.threeMonths',
  crosses_year_end: 'problem.yearEnd',
  renewal_too_early: 'problem.renewalTooEarly',
  renewal_before_old_start: 'problem.renewalBeforeOld',
  renewal_after_old_expiry: 'problem.renewalAfterOld',
  // photos (domain/photo.ts)
  not_jpeg: 'problem.photoType',
  too_large: 'problem.photoSize',
  dimensions: 'problem.photoDimensions',
  // employer households (routes/cards.ts)
  'no such household': 'problem.noHousehold',
  'has moved out': 'problem.movedOut',
  // guard PINs (domain/guard.ts)
  pin_format: 'problem.pinFormat',
  pin_guessable: 'problem.pinGuessable',
  'a PIN is 4 to 6 digits': 'problem.pinFormat',
  'too easy to guess (repeated or consecutive digits)': 'problem.pinGuessable',
};

export type Problems = Record<string, string>;

/** One message per field (the first), keyed by the field's path. */
export function zodProblems(error: z.ZodError): Problems {
  const out: Problems = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '(form)';
    if (path in out) continue;
    const reason = (issue as { params?: { reason?: string } }).params?.reason;
    if (reason) {
      // The phone's own reasons share names with the ID number's; one message says it all.
      const key = path === 'phone' ? 'problem.phone' : REASONS[reason];
      out[path] = key ? t(key) : issue.message;
    } else if (issue.code === 'too_small') {
      out[path] = t('problem.required');
    } else if (issue.code === 'too_big') {
      out[path] = t('problem.tooLong');
    } else {
      out[path] = t('problem.invalid');
    }
  }
  return out;
}

/** The server's field errors in the same form. */
export function serverProblems(fields: readonly FieldError[]): Problems {
  const out: Problems = {};
  for (const f of fields) {
    if (f.path in out) continue;
    const key = REASONS[f.message];
    out[f.path] = key ? t(key) : f.message;
  }
  return out;
}
