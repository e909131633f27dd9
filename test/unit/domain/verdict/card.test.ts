import { beforeAll, describe, expect, it } from 'vitest';
import { issueCode } from '../../../../src/domain/credential/code';
import { verifyCode, type VerifyResult } from '../../../../src/domain/credential/verify';
import { judgeCard, judgeCardByHand, type CardLookup } from '../../../../src/domain/verdict/card';
import { freshness, type FreshnessInput } from '../../../../src/domain/verdict/freshness';
import { epochFromLocal } from '../../../../src/domain/rules/time-window';
import { cardRow } from '../../../fixtures/cards';
import { createTestCommunity, type TestCommunity } from '../../../fixtures/community-keys';

const TZ = 'Asia/Shanghai';
// Wednesday 2026-11-25 10:00 in Shanghai.
const NOW = epochFromLocal({ year: 2026, month: 11, day: 25 }, 10 * 60, TZ);
const FRESH = { state: 'fresh' } as const;
const WORKDAYS_8_TO_18 = { weekdays: 0b0011111, startQuarter: 32, endQuarter: 72 };

let community: TestCommunity;
let other: TestCommunity;
let verified: VerifyResult;

const card = (overrides: Partial<ReturnType<typeof cardRow>> = {}) => ({
  ...cardRow(7, NOW),
  window: WORKDAYS_8_TO_18,
  ...overrides,
});
const lookup = (overrides: Partial<CardLookup> = {}): CardLookup => ({
  card: card(),
  revocation: undefined,
  households: [
    {
      id: 'H7',
      building: '3',
      unit: '2',
      room: '1201',
      occupancy: 'owner',
      movedOut: false,
      surnames: ['王'],
    },
  ],
  keyHouseholds: [],
  ...overrides,
});

async function verify(code: string, now = NOW) {
  return verifyCode(code, { trust: community.trust, now, clockToleranceS: 120 });
}

beforeAll(async () => {
  community = await createTestCommunity(5);
  other = await createTestCommunity(6);
  verified = await verify(
    await community.issue({
      type: 'card',
      serial: 7,
      notBefore: NOW - 86_400,
      expires: NOW + 60 * 86_400,
      window: WORKDAYS_8_TO_18,
    }),
  );
});

describe('judgeCard', () => {
  const ctx = { now: NOW, timeZone: TZ, freshness: FRESH };

  it('allows a valid, known card within its hours', () => {
    expect(judgeCard(verified, lookup(), ctx)).toMatchObject({
      verdict: 'allow',
      reason: 'ok',
      confirmation: 'none',
      serial: 7,
    });
  });

  it('denies what is not a Gatepost code, and a code signed by a key it does not trust', async () => {
    expect(judgeCard(await verify('HELLO'), lookup(), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'not_gatepost',
      serial: null,
    });
    const body = {
      type: 'card' as const,
      serial: 7,
      notBefore: NOW - 60,
      expires: NOW + 600,
      window: WORKDAYS_8_TO_18,
    };
    // Another community's own card.
    expect(judgeCard(await verify(await other.issue(body)), lookup(), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'other_community',
    });
    // Claims this community, signed by a key it does not trust; and the same with our key id.
    const unknownKey = await issueCode(
      { ...body, communityId: 5, keyId: other.keyId },
      other.signer.privateKey,
    );
    const borrowedId = await issueCode(
      { ...body, communityId: 5, keyId: community.keyId },
      other.signer.privateKey,
    );
    expect(judgeCard(await verify(unknownKey), lookup(), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'forged',
    });
    expect(judgeCard(await verify(borrowedId), lookup(), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'forged',
    });
  });

  it('revoked beats everything after the signature, with when and why', () => {
    const v = judgeCard(
      verified,
      lookup({
        revocation: { type: 'card', serial: 7, revokedAt: NOW - 3600, reason: 'lost', note: '' },
      }),
      ctx,
    );
    expect(v).toMatchObject({
      verdict: 'deny',
      reason: 'revoked',
      revokedAt: NOW - 3600,
      revocationReason: 'lost',
    });
  });

  it("a revocation counts from its time: a renewal revokes the old card only from the new one's start", () => {
    const renewal = {
      type: 'card' as const,
      serial: 7,
      revokedAt: NOW + 3600,
      reason: 'renewed' as const,
      note: '',
    };
    expect(judgeCard(verified, lookup({ revocation: renewal }), ctx)).toMatchObject({
      verdict: 'allow',
    });
    expect(
      judgeCard(verified, lookup({ revocation: { ...renewal, revokedAt: NOW - 1 } }), ctx),
    ).toMatchObject({ verdict: 'deny', reason: 'superseded' });
    const superseded = card({ status: 'superseded', validUntil: NOW - 60 });
    expect(judgeCard(verified, lookup({ card: superseded }), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'superseded',
    });
    expect(
      judgeCard(
        verified,
        lookup({ card: card({ status: 'superseded', validUntil: NOW + 60 }) }),
        ctx,
      ),
    ).toMatchObject({ verdict: 'allow' });
  });

  it('a moved-out suspension on the revocation stream reads as the employer moving out', () => {
    const suspension = {
      type: 'card' as const,
      serial: 7,
      revokedAt: NOW - 60,
      reason: 'moved_out' as const,
      note: '',
    };
    expect(judgeCard(verified, lookup({ revocation: suspension }), ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'employer_moved_out',
    });
  });

  it('expired says how long ago; the synced copy can end a card before its printed expiry', async () => {
    const old = await verify(
      await community.issue({
        type: 'card',
        serial: 8,
        notBefore: NOW - 100 * 86_400,
        expires: NOW - 2 * 86_400,
        window: WORKDAYS_8_TO_18,
      }),
    );
    expect(
      judgeCard(old, lookup({ card: card({ serial: 8, validUntil: NOW - 2 * 86_400 }) }), ctx),
    ).toMatchObject({ verdict: 'deny', reason: 'expired', seconds: 2 * 86_400 });
    expect(
      judgeCard(verified, lookup({ card: card({ validUntil: NOW - 60 }) }), ctx),
    ).toMatchObject({ reason: 'expired', seconds: 60 });
  });

  it('not yet valid', async () => {
    const later = await verify(
      await community.issue({
        type: 'card',
        serial: 9,
        notBefore: NOW + 86_400,
        expires: NOW + 10 * 86_400,
        window: WORKDAYS_8_TO_18,
      }),
    );
    expect(
      judgeCard(later, lookup({ card: card({ serial: 9, validFrom: NOW + 86_400 }) }), ctx),
    ).toMatchObject({ verdict: 'deny', reason: 'not_yet_valid', seconds: 86_400 });
  });

  it('employer moved out, or the card suspended for that reason, is refused', () => {
    const moved = lookup({
      households: [
        {
          id: 'H7',
          building: '3',
          unit: '2',
          room: '1201',
          occupancy: 'owner',
          movedOut: true,
          surnames: [],
        },
      ],
    });
    expect(judgeCard(verified, moved, ctx)).toMatchObject({
      verdict: 'deny',
      reason: 'employer_moved_out',
    });
    expect(judgeCard(verified, lookup({ card: card({ status: 'suspended' }) }), ctx)).toMatchObject(
      { reason: 'employer_moved_out' },
    );
  });

  it('outside allowed days or hours, by the synced window in the community time zone', () => {
    const evening = epochFromLocal({ year: 2026, month: 11, day: 25 }, 19 * 60, TZ);
    expect(judgeCard(verified, lookup(), { ...ctx, now: evening })).toMatchObject({
      verdict: 'deny',
      reason: 'outside_hours',
    });
    const saturday = epochFromLocal({ year: 2026, month: 11, day: 28 }, 10 * 60, TZ);
    expect(judgeCard(verified, lookup(), { ...ctx, now: saturday })).toMatchObject({
      reason: 'outside_hours',
    });
    // The office widened the hours after printing: the synced window rules.
    expect(
      judgeCard(
        verified,
        lookup({ card: card({ window: { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 } }) }),
        { ...ctx, now: saturday },
      ),
    ).toMatchObject({ verdict: 'allow' });
  });

  it('a card the kiosk does not know yet, but properly signed: amber, check the ID card', () => {
    expect(judgeCard(verified, lookup({ card: undefined }), ctx)).toMatchObject({
      verdict: 'check',
      reason: 'unknown_card',
      confirmation: 'tap',
    });
  });

  it('stale data turns an allow amber; data too old or a clock set back needs a reason, never an automatic allow', () => {
    expect(
      judgeCard(verified, lookup(), { ...ctx, freshness: { state: 'stale', hoursSincePull: 30 } }),
    ).toMatchObject({ verdict: 'check', reason: 'data_stale', confirmation: 'tap' });
    expect(
      judgeCard(verified, lookup(), {
        ...ctx,
        freshness: { state: 'too_old', hoursSincePull: 80 },
      }),
    ).toMatchObject({ verdict: 'check', reason: 'data_too_old', confirmation: 'reason' });
    expect(
      judgeCard(verified, lookup(), {
        ...ctx,
        freshness: { state: 'clock_behind', behindSeconds: 7200 },
      }),
    ).toMatchObject({ verdict: 'check', reason: 'clock_behind', confirmation: 'reason' });
    // A deny stays a deny whatever the freshness.
    expect(
      judgeCard(verified, lookup({ card: card({ status: 'revoked' }) }), {
        ...ctx,
        freshness: { state: 'stale', hoursSincePull: 30 },
      }),
    ).toMatchObject({ verdict: 'deny' });
  });

  it('warns when the card expires within a week, and carries the key-household marker', () => {
    const v = judgeCard(
      verified,
      lookup({
        card: card({ validUntil: NOW + 3 * 86_400 + 100 }),
        keyHouseholds: [{ householdId: 'H7', instructions: ['note_visitors_and_times'], note: '' }],
      }),
      ctx,
    );
    expect(v).toMatchObject({
      verdict: 'allow',
      expiresInDays: 3,
      keyHousehold: { instructions: ['note_visitors_and_times'] },
    });
    expect(judgeCard(verified, lookup(), ctx).expiresInDays).toBeUndefined();
  });

  it('a slip or an invitation held up where a card is judged is refused as not a card', async () => {
    const slip = await verify(
      await community.issue({
        type: 'slip',
        serial: 3,
        notBefore: NOW - 60,
        expires: NOW + 3600,
        trips: 1,
      }),
    );
    expect(judgeCard(slip, lookup(), ctx)).toMatchObject({ verdict: 'deny', reason: 'not_a_card' });
  });
});

describe('judgeCardByHand', () => {
  const ctx = { now: NOW, timeZone: TZ, freshness: FRESH };

  it('judges a card found by hand on the synced copy alone, by the same rules', () => {
    expect(judgeCardByHand(7, lookup(), ctx)).toMatchObject({
      verdict: 'allow',
      reason: 'ok',
      serial: 7,
      validUntil: NOW + 60 * 86_400,
    });
    expect(
      judgeCardByHand(7, lookup({ card: card({ validUntil: NOW - 3600 }) }), ctx),
    ).toMatchObject({ verdict: 'deny', reason: 'expired', seconds: 3600 });
    const evening = epochFromLocal({ year: 2026, month: 11, day: 25 }, 19 * 60, TZ);
    expect(judgeCardByHand(7, lookup(), { ...ctx, now: evening })).toMatchObject({
      reason: 'outside_hours',
    });
    expect(
      judgeCardByHand(7, lookup(), { ...ctx, freshness: { state: 'too_old', hoursSincePull: 80 } }),
    ).toMatchObject({ verdict: 'check', reason: 'data_too_old' });
  });

  it('a serial the kiosk holds no card for is amber and needs a reason, unless it is revoked', () => {
    expect(judgeCardByHand(99, lookup({ card: undefined }), ctx)).toMatchObject({
      verdict: 'check',
      reason: 'unknown_card',
      confirmation: 'reason',
      serial: 99,
    });
    expect(
      judgeCardByHand(
        99,
        lookup({
          card: undefined,
          revocation: { type: 'card', serial: 99, revokedAt: NOW - 60, reason: 'lost', note: '' },
        }),
        ctx,
      ),
    ).toMatchObject({ verdict: 'deny', reason: 'revoked', revocationReason: 'lost' });
  });
});

describe('freshness', () => {
  const base: FreshnessInput = {
    now: NOW,
    trustedNow: NOW - 10,
    lastPullAt: NOW - 3600,
    staleAmberHours: 24,
    staleDenyHours: 72,
    clockToleranceS: 300,
  };
  it.each([
    [{}, 'fresh'],
    [{ lastPullAt: NOW - 25 * 3600 }, 'stale'],
    [{ lastPullAt: NOW - 73 * 3600 }, 'too_old'],
    [{ lastPullAt: null }, 'too_old'],
    [{ trustedNow: NOW + 3600 }, 'clock_behind'],
    [{ trustedNow: NOW + 200 }, 'fresh'],
  ] as const)('%o is %s', (patch, state) => {
    expect(freshness({ ...base, ...patch }).state).toBe(state);
  });
});
