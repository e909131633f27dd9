/**
 * The verdict on a temporary access card at the gate: from the code's verification, the kiosk's
 * synced copy and the kiosk's freshness, one of allow (green) / check (amber) / deny (red), with
 * a stable reason code that the screen words in one line (DESIGN §3.5 `data-reason`).
 *
 * Precedence, most serious first, so the guard always reads the reason that matters most:
 * not a Gatepost code → forged or unknown signer → another community → wrong kind of key →
 * revoked (or suspended, or renewed, from the revocation's time) → superseded → expired → not yet
 * valid → employer moved out →
 * outside allowed days/hours → (clock wrong, data too old, data stale, card unknown here) → allow.
 * A deny is never softened by freshness; an allow is downgraded by it.
 */
import type { CredentialBody } from '../credential/body';
import type { VerifyResult } from '../credential/verify';
import { gateMarker, type GateMarker } from '../key-household';
import { isWithinWindow } from '../rules/time-window';
import type { SyncedRow } from '../sync/tables';
import type { Freshness } from './freshness';

export type Verdict = 'allow' | 'check' | 'deny';

export const CARD_REASONS = [
  'ok',
  'not_gatepost',
  'forged',
  'other_community',
  'wrong_use',
  'revoked',
  'expired',
  'not_yet_valid',
  'employer_moved_out',
  'superseded',
  'outside_hours',
  'clock_behind',
  'data_too_old',
  'data_stale',
  'unknown_card',
  'not_a_card',
] as const;
export type CardReason = (typeof CARD_REASONS)[number];

/** What the guard must do to let the holder in despite the verdict. */
export type Confirmation = 'none' | 'tap' | 'reason' | 'supervisor';

export interface CardVerdict {
  verdict: Verdict;
  reason: CardReason;
  confirmation: Confirmation;
  serial: number | null;
  card: SyncedRow<'card'> | null;
  /** Seconds since expiry (expired) or until the start (not yet valid). */
  seconds?: number;
  revokedAt?: number;
  revocationReason?: string;
  /** The office's own words with a revocation, when it wrote any. */
  revocationNote?: string;
  /** The end of the card's validity (exclusive, seconds), once the card passed its checks. */
  validUntil?: number;
  /** Whole days left when the card expires within a week. */
  expiresInDays?: number;
  /** Discreet marker for the guard only: the employer is a key household. */
  keyHousehold?: GateMarker;
  freshness: Freshness;
}

export interface CardLookup {
  card: SyncedRow<'card'> | undefined;
  revocation: SyncedRow<'revocation'> | undefined;
  /** Households of the card, as the kiosk holds them. */
  households: Array<SyncedRow<'household'> & { id: string }>;
  keyHouseholds: Array<SyncedRow<'keyHousehold'>>;
}

export interface CardJudgeContext {
  now: number;
  timeZone: string;
  freshness: Freshness;
}

const WEEK_S = 7 * 86_400;

function denyFromVerification(v: Extract<VerifyResult, { ok: false }>): CardReason {
  switch (v.reason) {
    case 'malformed':
    case 'unknown_prefix':
      return 'not_gatepost';
    case 'unknown_key':
    case 'bad_signature':
      return 'forged';
    case 'wrong_community':
      return 'other_community';
    case 'key_not_for_this_use':
      return 'wrong_use';
    case 'expired':
      return 'expired';
    case 'not_yet_valid':
      return 'not_yet_valid';
  }
}

/**
 * Judges a scanned code (already verified) against the kiosk's copy. The synced card, when
 * there is one, is authoritative for validity and hours (the office may have shortened them
 * since printing); the code's own fields serve a card this kiosk has not received yet.
 */
export function judgeCard(v: VerifyResult, lookup: CardLookup, ctx: CardJudgeContext): CardVerdict {
  const base = { serial: null, card: null, freshness: ctx.freshness } as const;
  if (!v.ok && !v.credential) {
    return {
      ...base,
      verdict: 'deny',
      reason: denyFromVerification(v),
      confirmation: 'supervisor',
    };
  }
  const body: CredentialBody = v.ok ? v.credential : v.credential!;
  if (body.type !== 'card') {
    return {
      ...base,
      serial: body.serial,
      verdict: 'deny',
      reason: 'not_a_card',
      confirmation: 'supervisor',
    };
  }
  if (!v.ok && v.reason !== 'expired' && v.reason !== 'not_yet_valid') {
    return {
      serial: body.serial,
      card: lookup.card ?? null,
      freshness: ctx.freshness,
      verdict: 'deny',
      reason: denyFromVerification(v),
      confirmation: 'supervisor',
    };
  }
  return judgeAuthentic(body.serial, body, lookup, ctx, 'tap');
}

/**
 * Judges a card looked up by hand (its serial typed, or the holder found by name or phone): no
 * code was read, so the synced copy is the only authority. A serial the kiosk holds no card for
 * is amber "unknown card" and needs a reason to admit (the guard checks the ID card), unless it
 * is revoked.
 */
export function judgeCardByHand(
  serial: number,
  lookup: CardLookup,
  ctx: CardJudgeContext,
): CardVerdict {
  return judgeAuthentic(serial, null, lookup, ctx, 'reason');
}

/** What a genuine code says of its card: its period and hours. */
type PrintedFields = Pick<
  Extract<CredentialBody, { type: 'card' }>,
  'notBefore' | 'expires' | 'window'
>;

/**
 * The rules after authenticity: revocation, the card's status, validity, employer, hours, then the
 * kiosk's freshness. `printed` is null for a lookup by hand, where only the synced card can say.
 */
function judgeAuthentic(
  serial: number,
  printed: PrintedFields | null,
  lookup: CardLookup,
  ctx: CardJudgeContext,
  unknownConfirmation: Confirmation,
): CardVerdict {
  const card = lookup.card ?? null;
  const common = { serial, card, freshness: ctx.freshness };
  const deny = (reason: CardReason, extra: Partial<CardVerdict> = {}): CardVerdict => ({
    ...common,
    verdict: 'deny',
    reason,
    confirmation: 'supervisor',
    ...extra,
  });

  // A revocation takes effect at its time: a renewal revokes the old card from the new one's
  // start, which may still be ahead. A moved-out suspension and a renewal travel as revocations
  // too (first, on the revocation stream), and keep their own reasons.
  const revocation =
    lookup.revocation && lookup.revocation.revokedAt <= ctx.now ? lookup.revocation : undefined;
  if (revocation?.reason === 'moved_out') return deny('employer_moved_out');
  if (revocation?.reason === 'renewed')
    return deny('superseded', { revokedAt: revocation.revokedAt });
  if (revocation) {
    return deny('revoked', {
      revokedAt: revocation.revokedAt,
      revocationReason: revocation.reason,
      ...(revocation.note ? { revocationNote: revocation.note } : {}),
    });
  }
  if (card?.status === 'revoked') {
    return deny('revoked', {
      ...(card.statusAt !== null ? { revokedAt: card.statusAt } : {}),
      revocationReason: card.statusReason,
    });
  }
  const fields = card
    ? { notBefore: card.validFrom, expires: card.validUntil, window: card.window }
    : printed;
  let extras: Partial<CardVerdict> = {};
  if (fields) {
    const validFrom = fields.notBefore;
    const validUntil = fields.expires;
    // A renewed card's row ends at the renewal's start: past it, say so rather than "expired".
    if (card?.status === 'superseded' && ctx.now >= validUntil) return deny('superseded');
    if (ctx.now >= validUntil) return deny('expired', { seconds: ctx.now - validUntil });
    if (ctx.now < validFrom) return deny('not_yet_valid', { seconds: validFrom - ctx.now });
    const movedOut = lookup.households.some((h) => h.movedOut);
    if (card?.status === 'suspended' || movedOut) return deny('employer_moved_out');
    if (!isWithinWindow(fields.window, ctx.now, ctx.timeZone)) return deny('outside_hours');
    extras = {
      validUntil,
      ...(validUntil - ctx.now <= WEEK_S
        ? { expiresInDays: Math.floor((validUntil - ctx.now) / 86_400) }
        : {}),
    };
  }

  const marker = gateMarker(lookup.keyHouseholds);
  if (marker) extras.keyHousehold = marker;
  const amber = (reason: CardReason, confirmation: Confirmation): CardVerdict => ({
    ...common,
    verdict: 'check',
    reason,
    confirmation,
    ...extras,
  });
  switch (ctx.freshness.state) {
    case 'clock_behind':
      return amber('clock_behind', 'reason');
    case 'too_old':
      return amber('data_too_old', 'reason');
    case 'stale':
      return amber(card ? 'data_stale' : 'unknown_card', card ? 'tap' : unknownConfirmation);
    case 'fresh':
      break;
  }
  if (!card) return amber('unknown_card', unknownConfirmation);
  return { ...common, verdict: 'allow', reason: 'ok', confirmation: 'none', ...extras };
}
