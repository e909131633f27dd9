import { describe, expect, it } from 'vitest';
import type { CredentialBody } from '../../../../src/domain/credential/body';
import type { VerifyResult } from '../../../../src/domain/credential/verify';
import type { SyncedRow } from '../../../../src/domain/sync/tables';
import {
  invitationDayProblems,
  invitationFieldsSchema,
  invitationValidity,
  judgeInvitation,
} from '../../../../src/domain/visitor/invitation';

const body = (type: 'invitation' | 'card' = 'invitation'): CredentialBody =>
  type === 'invitation'
    ? {
        type,
        communityId: 1,
        keyId: new Uint8Array(4),
        serial: 7,
        notBefore: 0,
        expires: 10,
        persons: 2,
      }
    : {
        type,
        communityId: 1,
        keyId: new Uint8Array(4),
        serial: 7,
        notBefore: 0,
        expires: 10,
        window: { weekdays: 127, startQuarter: 0, endQuarter: 0 },
      };
const ok = (type: 'invitation' | 'card' = 'invitation'): VerifyResult =>
  ({ ok: true, reason: 'ok', credential: body(type), key: {} }) as unknown as VerifyResult;
const row: SyncedRow<'invitation'> = {
  serial: 7,
  name: '李四',
  householdId: 'h1',
  persons: 2,
  plate: '',
  phone: '',
  validFrom: 0,
  validUntil: 10,
  status: 'active',
};
const none = { usedHere: false, insideEntryId: null };

describe('judgeInvitation', () => {
  it('admits a genuine, active, unused invitation within its days', () => {
    expect(judgeInvitation(ok(), row, none)).toEqual({
      kind: 'admit',
      invitation: row,
      serial: 7,
      persons: 2,
    });
  });

  it('refuses with the reason: used (here or anywhere), cancelled, unknown, not an invitation', () => {
    expect(judgeInvitation(ok(), { ...row, status: 'used' }, none)).toMatchObject({
      kind: 'refused',
      reason: 'used',
    });
    expect(judgeInvitation(ok(), row, { usedHere: true, insideEntryId: null })).toMatchObject({
      reason: 'used',
    });
    expect(judgeInvitation(ok(), { ...row, status: 'cancelled' }, none)).toMatchObject({
      reason: 'cancelled',
    });
    expect(judgeInvitation(ok(), undefined, none)).toMatchObject({ reason: 'unknown' });
    expect(judgeInvitation(ok('card'), row, none)).toMatchObject({
      reason: 'not_an_invitation',
    });
  });

  it('refuses outside its window, and a forged or foreign code as invalid', () => {
    const expired = { ok: false, reason: 'expired', detail: '', credential: body() } as const;
    expect(judgeInvitation(expired, row, none)).toEqual({
      kind: 'refused',
      serial: 7,
      reason: 'expired',
    });
    const early = { ok: false, reason: 'not_yet_valid', detail: '', credential: body() } as const;
    expect(judgeInvitation(early, row, none)).toMatchObject({ reason: 'not_yet_valid' });
    expect(
      judgeInvitation({ ok: false, reason: 'bad_signature', detail: '' }, row, none),
    ).toMatchObject({ reason: 'invalid', serial: null });
  });

  it('signs out the visitor it let in when scanned again, even after it expired', () => {
    const inside = { usedHere: true, insideEntryId: '01J0000000000000000000000A' };
    expect(judgeInvitation(ok(), { ...row, status: 'used' }, inside)).toEqual({
      kind: 'sign_out',
      serial: 7,
      entryId: inside.insideEntryId,
    });
    const expired = { ok: false, reason: 'expired', detail: '', credential: body() } as const;
    expect(judgeInvitation(expired, row, inside)).toMatchObject({ kind: 'sign_out' });
  });
});

describe('invitation days', () => {
  const today = { year: 2025, month: 6, day: 1 };
  it('runs from 00:00 of the first day to 00:00 after the last, local time', () => {
    const v = invitationValidity(today, { year: 2025, month: 6, day: 2 }, 'Asia/Shanghai');
    expect(new Date(v.validFrom * 1000).toISOString()).toBe('2025-05-31T16:00:00.000Z');
    expect(v.validUntil - v.validFrom).toBe(2 * 86_400);
  });

  it('names the field of each problem', () => {
    expect(invitationDayProblems({ year: 2025, month: 5, day: 31 }, today, today)).toEqual([
      { field: 'firstDay', message: 'lies in the past' },
    ]);
    expect(invitationDayProblems(today, { year: 2025, month: 5, day: 30 }, today)).toEqual([
      { field: 'lastDay', message: 'before the first day' },
    ]);
    expect(invitationDayProblems(today, { year: 2025, month: 7, day: 2 }, today)).toEqual([
      { field: 'lastDay', message: 'at most 31 days' },
    ]);
    expect(invitationDayProblems(today, today, today)).toEqual([]);
  });

  it('checks the fields of an invitation', () => {
    const r = invitationFieldsSchema.safeParse({
      name: '李四',
      householdId: 'h1',
      firstDay: '2025-02-30',
      lastDay: '2025-06-01',
      plate: '粤B12',
      phone: '1381234',
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['firstDay', 'plate', 'phone']));
    const good = invitationFieldsSchema.parse({
      name: '李四',
      householdId: 'h1',
      firstDay: '2025-06-01',
      lastDay: '2025-06-01',
      plate: '粤b 12345',
    });
    expect(good).toMatchObject({ plate: '粤B12345', phone: '', persons: 1 });
  });
});
