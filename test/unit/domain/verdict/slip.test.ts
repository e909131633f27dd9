import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../../../src/domain/base45';
import { verifyCode, type VerifyResult } from '../../../../src/domain/credential/verify';
import { epochFromLocal } from '../../../../src/domain/rules/time-window';
import type { SyncedRow } from '../../../../src/domain/sync/tables';
import {
  checklistProblem,
  correctDown,
  judgeSlipScan,
  tick,
  type ChecklistLine,
  type SlipLookup,
  type SlipUse,
} from '../../../../src/domain/verdict/slip';
import { createTestCommunity, type TestCommunity } from '../../../fixtures/community-keys';

const TZ = 'Asia/Shanghai';
const DAY = 86_400;
const FROM = epochFromLocal({ year: 2026, month: 11, day: 28 }, 0, TZ);
const NOW = FROM + 10 * 3600;

let community: TestCommunity;
const verified = new Map<string, VerifyResult>();

async function verify(trips: number, notBefore = FROM, expires = FROM + DAY, now = NOW) {
  const code = await community.issue({ type: 'slip', serial: 5, notBefore, expires, trips });
  return verifyCode(code, { trust: community.trust, now, clockToleranceS: 300 });
}

const slipRow = (extra: Partial<SyncedRow<'slip'>> = {}): SyncedRow<'slip'> => ({
  serial: 5,
  householdId: 'H1',
  applicantName: '王小明',
  applicantRole: 'tenant',
  idMasked: '110***********002X',
  items: [{ name: '冰箱', quantity: 1, unit: '台', note: '' }],
  plate: '',
  carrierName: '',
  validFrom: FROM,
  validUntil: FROM + DAY,
  trips: 1,
  status: 'issued',
  watchSignedOff: false,
  uses: [],
  ...extra,
});
const lookup = (extra: Partial<SlipLookup> = {}): SlipLookup => ({
  slip: slipRow(),
  revocation: undefined,
  keyHousehold: undefined,
  localUses: [],
  ...extra,
});
const use = (id: string, device: string, at = NOW * 1000): SlipUse => ({
  id,
  at,
  device,
  outcome: 'pass',
});

beforeAll(async () => {
  community = await createTestCommunity(1);
  verified.set('one', await verify(1));
  verified.set('two', await verify(2));
});

describe('scanning a slip', () => {
  it('is ok with its trips left', () => {
    const r = judgeSlipScan(verified.get('one')!, lookup(), NOW);
    expect(r).toMatchObject({ ok: true, reason: 'ok', serial: 5, tripsLeft: 1 });
  });

  it('is used once on a one-trip slip: refused with when and where', () => {
    const mine = use('01KAAAAAAAAAAAAAAAAAAAAAAA', '东门');
    const r = judgeSlipScan(verified.get('one')!, lookup({ localUses: [mine] }), NOW);
    expect(r).toMatchObject({ ok: false, reason: 'already_used', lastUse: mine });
  });

  it('counts a use known both here and from the server once, and uses at other gates too', () => {
    const mine = use('01KAAAAAAAAAAAAAAAAAAAAAAA', '东门');
    const theirs = use('01KBBBBBBBBBBBBBBBBBBBBBBB', '西门', NOW * 1000 + 5000);
    const two = verified.get('two')!;
    const once = judgeSlipScan(
      two,
      lookup({ slip: slipRow({ trips: 2, uses: [mine] }), localUses: [mine] }),
      NOW,
    );
    expect(once).toMatchObject({ ok: true, tripsLeft: 1 });
    const twice = judgeSlipScan(
      two,
      lookup({ slip: slipRow({ trips: 2, uses: [theirs] }), localUses: [mine] }),
      NOW,
    );
    expect(twice).toMatchObject({ ok: false, reason: 'already_used', lastUse: theirs });
  });

  it('takes the fewer trips of the code and the row', () => {
    const r = judgeSlipScan(verified.get('one')!, lookup({ slip: slipRow({ trips: 3 }) }), NOW);
    expect(r).toMatchObject({ ok: true, tripsLeft: 1 });
  });

  it('refuses a revoked slip, from the revocation stream or the row', () => {
    const revocation = {
      type: 'slip' as const,
      serial: 5,
      revokedAt: NOW - 60,
      reason: 'cancelled' as const,
      note: '',
    };
    expect(judgeSlipScan(verified.get('one')!, lookup({ revocation }), NOW).reason).toBe('revoked');
    expect(
      judgeSlipScan(verified.get('one')!, lookup({ slip: slipRow({ status: 'revoked' }) }), NOW)
        .reason,
    ).toBe('revoked');
  });

  it('refuses an expired slip, one not yet valid, and one this kiosk does not know', async () => {
    const late = await verify(1, FROM, FROM + DAY, FROM + DAY + 301);
    expect(judgeSlipScan(late, lookup(), FROM + DAY + 301)).toMatchObject({
      reason: 'expired',
      serial: 5,
    });
    expect(judgeSlipScan(verified.get('one')!, lookup(), FROM + DAY).reason).toBe('expired');
    const early = await verify(1, FROM + DAY, FROM + 2 * DAY);
    expect(judgeSlipScan(early, lookup(), NOW).reason).toBe('not_yet_valid');
    expect(judgeSlipScan(verified.get('one')!, lookup({ slip: undefined }), NOW).reason).toBe(
      'unknown_slip',
    );
  });

  it('refuses a household under watch without a sign-off', () => {
    const keyHousehold = {
      householdId: 'H1',
      instructions: ['note_visitors_and_times' as const, 'report_to_supervisor' as const],
      note: '',
    };
    expect(judgeSlipScan(verified.get('one')!, lookup({ keyHousehold }), NOW).reason).toBe(
      'watch_without_signoff',
    );
    expect(
      judgeSlipScan(
        verified.get('one')!,
        lookup({ keyHousehold, slip: slipRow({ watchSignedOff: true }) }),
        NOW,
      ).ok,
    ).toBe(true);
  });

  it('refuses a forged code, another type of code and text that is no code', async () => {
    const code = await community.issue({
      type: 'slip',
      serial: 5,
      notBefore: FROM,
      expires: FROM + DAY,
      trips: 1,
    });
    const raw = decodeBase45(code.slice(4));
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    const forged = await verifyCode(`GP1:${encodeBase45(raw)}`, {
      trust: community.trust,
      now: NOW,
      clockToleranceS: 300,
    });
    expect(judgeSlipScan(forged, lookup(), NOW)).toMatchObject({ reason: 'forged', serial: null });
    const card = await verifyCode(
      await community.issue({
        type: 'card',
        serial: 5,
        notBefore: FROM,
        expires: FROM + DAY,
        window: { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 },
      }),
      { trust: community.trust, now: NOW, clockToleranceS: 300 },
    );
    expect(judgeSlipScan(card, lookup(), NOW).reason).toBe('not_a_slip');
    const text = await verifyCode('hello', {
      trust: community.trust,
      now: NOW,
      clockToleranceS: 300,
    });
    expect(judgeSlipScan(text, lookup(), NOW).reason).toBe('not_gatepost');
  });
});

describe('the checklist', () => {
  const lines = (...expected: number[]): ChecklistLine[] =>
    expected.map((e) => ({ expected: e, passed: null }));

  it('passes only when every line is ticked at its full quantity', () => {
    let l = lines(2, 1, 3);
    expect(checklistProblem(l, 'pass', null)).toBe('lines_unchecked');
    l = l.map(tick);
    expect(checklistProblem(l, 'pass', null)).toBeNull();
    l[2] = correctDown(l[2]!);
    expect(l[2]!.passed).toBe(2);
    expect(checklistProblem(l, 'pass', null)).toBe('quantities_short');
  });

  it('partial needs something held back, something let out and the reason', () => {
    const full = lines(2, 1).map(tick);
    expect(checklistProblem(full, 'partial', '少一箱')).toBe('nothing_held_back');
    const short = [correctDown(full[0]!), full[1]!];
    expect(checklistProblem(short, 'partial', '')).toBe('reason_required');
    expect(checklistProblem(short, 'partial', '一箱未列入放行条')).toBeNull();
    const none = [correctDown(correctDown(full[0]!)), correctDown(full[1]!)];
    expect(none.map((x) => x.passed)).toEqual([0, 0]);
    expect(checklistProblem(none, 'partial', 'x')).toBe('nothing_passed');
  });

  it('corrects an unchecked line down from its full quantity, never below zero', () => {
    expect(correctDown({ expected: 3, passed: null }).passed).toBe(2);
    expect(correctDown({ expected: 1, passed: 0 }).passed).toBe(0);
    expect(tick({ expected: 3, passed: 3 }).passed).toBeNull();
  });

  it('refuse needs a reason code, not a checked list', () => {
    expect(checklistProblem(lines(1), 'refuse', null)).toBe('reason_required');
    expect(checklistProblem(lines(1), 'refuse', 'extra_items')).toBeNull();
  });
});
