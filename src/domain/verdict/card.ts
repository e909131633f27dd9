/**
 * The verdict on a temporary access card at the gate: from the code's verification, the kiosk's
 * synced copy and the kiosk's freshness, one of allow (green) / check (amber) / deny (red), with
 * a stable reason code that the screen words in one line (DESIGN §3.5 `data-reason`).
 *
 * Precedence, most serious first, so the guard always reads the reason that matters most:
 * not a Gatepost code → forged or unknown signer → another community → wrong kind of key →
 * revoked → expired → not yet valid → employer moved out (suspended) → superseded by a renewal →
 * outside allowed days/hours → (clock wrong, data too old, data stale, card unknown here) → allow.
 * A deny is never softened by freshness; an allow is downgraded by it.
 */
import type { CredentialBody, CardWindow } from '../credential/body';
import type { VerifyResult } from '../credential/verify';
import type { GateInstruction } from '../key-household';
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
  /** Whole days left when the card expires within a week. */
  expiresInDays?: number;
  /** Discreet marker for the guard only: the employer is a key household. */
  keyHousehold?: { instructions: GateInstruction[]; note: string };
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
  const card = lookup.card ?? null;
  const common = { serial: body.serial, card, freshness: ctx.freshness };
  const deny = (reason: CardReason, extra: Partial<CardVerdict> = {}): CardVerdict => ({
    ...common,
    verdict: 'deny',
    reason,
    confirmation: 'supervisor',
    ...extra,
  });

  if (!v.ok && v.reason !== 'expired' && v.reason !== 'not_yet_valid')
    return deny(denyFromVerification(v));
  if (lookup.revocation) {
    return deny('revoked', {
      revokedAt: lookup.revocation.revokedAt,
      revocationReason: lookup.revocation.reason,
    });
  }
  if (card?.status === 'revoked') {
    return deny('revoked', {
      ...(card.statusAt !== null ? { revokedAt: card.statusAt } : {}),
      revocationReason: card.statusReason,
    });
  }
  const validFrom = card?.validFrom ?? body.notBefore;
  const validUntil = card?.validUntil ?? body.expires;
  if (ctx.now >= validUntil) return deny('expired', { seconds: ctx.now - validUntil });
  if (ctx.now < validFrom) return deny('not_yet_valid', { seconds: validFrom - ctx.now });
  const movedOut = lookup.households.some((h) => h.movedOut);
  if (card?.status === 'suspended' || movedOut) return deny('employer_moved_out');
  if (card?.status === 'superseded') return deny('superseded');
  const window: CardWindow = card?.window ?? body.window;
  if (!isWithinWindow(window, ctx.now, ctx.timeZone)) return deny('outside_hours');

  const marker = lookup.keyHouseholds[0];
  const extras: Partial<CardVerdict> = {
    ...(validUntil - ctx.now <= WEEK_S
      ? { expiresInDays: Math.floor((validUntil - ctx.now) / 86_400) }
      : {}),
    ...(marker
      ? {
          keyHousehold: {
            instructions: [...new Set(lookup.keyHouseholds.flatMap((k) => k.instructions))],
            note: lookup.keyHouseholds
              .map((k) => k.note)
              .filter(Boolean)
              .join('；'),
          },
        }
      : {}),
  };
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
      return amber(card ? 'data_stale' : 'unknown_card', 'tap');
    case 'fresh':
      break;
  }
  if (!card) return amber('unknown_card', 'tap');
  return { ...common, verdict: 'allow', reason: 'ok', confirmation: 'none', ...extras };
}
