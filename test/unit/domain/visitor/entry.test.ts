import { describe, expect, it } from 'vitest';
import {
  checkVisitorDraft,
  EMPTY_DRAFT,
  idMatchValue,
  namePhoneMatchValue,
  visitorEntryPayloadSchema,
  type VisitorDraft,
} from '../../../../src/domain/visitor/entry';

const TODAY = { year: 2025, month: 6, day: 1 };
const opts = { today: TODAY, knownHousehold: (id: string) => id === 'h1', idRequired: true };
const GOOD: VisitorDraft = {
  name: ' 王  小明 ',
  idType: 'resident_card',
  idNumber: '11010519491231002x',
  phone: '+86 138-1234-5678',
  householdId: 'h1',
  reason: 'visiting',
  persons: '２',
  plate: '粤b·d12345',
};

describe('checkVisitorDraft', () => {
  it('accepts a complete form and normalises every field', () => {
    const r = checkVisitorDraft(GOOD, opts);
    expect(r).toEqual({
      ok: true,
      value: {
        name: '王 小明',
        id: expect.objectContaining({ number: '11010519491231002X', type: 'resident_card' }),
        phone: '13812345678',
        householdId: 'h1',
        reason: 'visiting',
        persons: 2,
        plate: '粤BD12345',
      },
    });
  });

  it('names the reason of each bad field, at that field', () => {
    const bad: VisitorDraft = {
      name: '',
      idType: 'resident_card',
      idNumber: '110105194912310021',
      phone: '12812345678',
      householdId: 'nowhere',
      reason: '',
      persons: '0',
      plate: '粤BI2345',
    };
    const r = checkVisitorDraft(bad, opts);
    expect(r).toEqual({
      ok: false,
      errors: {
        name: 'required',
        idNumber: 'id.checksum',
        phone: 'phone.prefix',
        householdId: 'unknown_household',
        reason: 'required',
        persons: 'range',
        plate: 'plate.characters',
      },
    });
  });

  it('requires the ID number and phone of a walk-in, not of an invited visitor', () => {
    const draft = { ...GOOD, idNumber: '', phone: '' };
    expect(checkVisitorDraft(draft, opts)).toMatchObject({
      ok: false,
      errors: { idNumber: 'required', phone: 'required' },
    });
    const invited = checkVisitorDraft(draft, { ...opts, idRequired: false });
    expect(invited).toMatchObject({ ok: true, value: { id: null, phone: '' } });
    // What is typed is still checked.
    expect(
      checkVisitorDraft({ ...draft, phone: '123' }, { ...opts, idRequired: false }),
    ).toMatchObject({ ok: false, errors: { phone: 'phone.length' } });
  });

  it('refuses a name that is too long or holds control characters, and more than 50 people', () => {
    expect(checkVisitorDraft({ ...GOOD, name: '王'.repeat(41) }, opts)).toMatchObject({
      errors: { name: 'too_long' },
    });
    expect(checkVisitorDraft({ ...GOOD, name: '王\u0007明' }, opts)).toMatchObject({
      errors: { name: 'characters' },
    });
    expect(checkVisitorDraft({ ...GOOD, persons: '51' }, opts)).toMatchObject({
      errors: { persons: 'range' },
    });
    expect(checkVisitorDraft({ ...GOOD, persons: '1.5' }, opts)).toMatchObject({
      errors: { persons: 'range' },
    });
  });

  it('checks passports and permits by their own formats', () => {
    expect(
      checkVisitorDraft({ ...GOOD, idType: 'hk_macao_permit', idNumber: 'H1234567800' }, opts),
    ).toMatchObject({ ok: true });
    expect(
      checkVisitorDraft({ ...GOOD, idType: 'hk_macao_permit', idNumber: 'X12345678' }, opts),
    ).toMatchObject({ ok: false, errors: { idNumber: 'id.format' } });
    expect(checkVisitorDraft({ ...GOOD, idType: 'passport', idNumber: 'E1' }, opts)).toMatchObject({
      ok: false,
      errors: { idNumber: 'id.length' },
    });
  });

  it('starts from an empty draft that is not valid', () => {
    expect(checkVisitorDraft(EMPTY_DRAFT, opts).ok).toBe(false);
  });
});

describe('match values', () => {
  it('the same person matches across a resident card and a residence permit typed either way', () => {
    expect(idMatchValue({ type: 'resident_card', holderKey: '810000199001011234' })).toBe(
      idMatchValue({ type: 'residence_permit', holderKey: '810000199001011234' }),
    );
    expect(idMatchValue({ type: 'passport', holderKey: 'E12345678' })).not.toBe(
      idMatchValue({ type: 'other', holderKey: 'E12345678' }),
    );
  });

  it('a name matches whatever spaces or width it was typed with', () => {
    expect(namePhoneMatchValue(' 王 小明', '13812345678')).toBe(
      namePhoneMatchValue('王小明 ', '13812345678'),
    );
    expect(namePhoneMatchValue('王小明', '13812345678')).not.toBe(
      namePhoneMatchValue('王小明', '13812345679'),
    );
  });
});

describe('the entry event', () => {
  const base = {
    name: '王小明',
    idType: null,
    idMasked: '',
    idHash: null,
    idSealed: null,
    phone: '',
    householdId: 'h1',
    reason: 'visiting',
    persons: 1,
    plate: '',
    invitationSerial: 3,
    watch: null,
    mode: 'guard',
    admitted: true,
  };
  it('accepts an invited visitor without a document', () => {
    expect(visitorEntryPayloadSchema.safeParse(base).success).toBe(true);
  });
  it('refuses a document type without its hash and sealed number, and a number in clear', () => {
    expect(visitorEntryPayloadSchema.safeParse({ ...base, idType: 'resident_card' }).success).toBe(
      false,
    );
    expect(
      visitorEntryPayloadSchema.safeParse({ ...base, idNumber: '11010519491231002X' }).success,
    ).toBe(false);
  });
});
