import { afterAll, describe, expect, it } from 'vitest';
import { CARD_REASONS, type CardReason } from '../../../src/domain/verdict/card';
import { LOCALES, locale } from '../../../src/ui/i18n';
import type { GateVerdict } from '../../../src/kiosk/verdict/judge';
import { TONES } from '../../../src/kiosk/verdict/sounds';
import { reasonLine, verdictWord, windowText } from '../../../src/kiosk/verdict/words';
import { cardRow } from '../../fixtures/cards';

const NOW = 1_790_000_000;

function verdict(reason: CardReason, over: Partial<GateVerdict> = {}): GateVerdict {
  return {
    verdict: 'deny',
    reason,
    confirmation: 'supervisor',
    serial: 7,
    card: cardRow(7, NOW),
    freshness: { state: 'fresh' },
    credentialType: 'card',
    manual: false,
    judgedAt: NOW * 1000,
    households: [],
    ...over,
  };
}

const DETAILS: Partial<Record<CardReason, Partial<GateVerdict>>> = {
  revoked: { revokedAt: NOW - 3600, revocationReason: 'lost', revocationNote: '本人挂失' },
  expired: { seconds: 3 * 86_400 },
  not_yet_valid: { seconds: 7200 },
  clock_behind: { freshness: { state: 'clock_behind', behindSeconds: 2 * 86_400 } },
  data_too_old: { freshness: { state: 'too_old', hoursSincePull: 80 } },
  data_stale: { freshness: { state: 'stale', hoursSincePull: 30 } },
  not_a_card: { credentialType: 'slip', card: null },
};

afterAll(() => {
  locale.value = 'zh-Hans';
});

describe.each(LOCALES)('the guard’s words in %s', (l) => {
  it('every reason code has its one line, with every placeholder filled', () => {
    locale.value = l;
    for (const reason of CARD_REASONS) {
      const line = reasonLine(verdict(reason, DETAILS[reason]));
      expect(line, reason).not.toMatch(/[{}]|undefined|NaN/);
      expect(line.length, reason).toBeGreaterThan(1);
    }
    for (const v of ['allow', 'check', 'deny'] as const) expect(verdictWord(v)).not.toBe('');
  });
});

describe('reason details', () => {
  it('says how long ago, when and why, and which hours', () => {
    locale.value = 'zh-Hans';
    expect(reasonLine(verdict('expired', DETAILS.expired))).toBe('已过期 3 天');
    expect(reasonLine(verdict('revoked', DETAILS.revoked))).toMatch(
      /^已于 .+ 作废：挂失 · 本人挂失$/,
    );
    expect(
      reasonLine(
        verdict('data_too_old', { freshness: { state: 'too_old', hoursSincePull: null } }),
      ),
    ).toBe('数据尚未同步，不能自动放行，请核对证件');
    expect(windowText({ weekdays: 0b0011111, startQuarter: 32, endQuarter: 72 })).toBe(
      '周一、周二、周三、周四、周五 08:00–18:00',
    );
    expect(windowText({ weekdays: 0x7f, startQuarter: 0, endQuarter: 96 })).toBe('每天 全天');
    locale.value = 'en';
    expect(reasonLine(verdict('expired', DETAILS.expired))).toBe('Expired 3 days ago');
  });

  it('each verdict has its own sound', () => {
    const signature = (v: keyof typeof TONES) => JSON.stringify(TONES[v]);
    expect(new Set([signature('allow'), signature('check'), signature('deny')]).size).toBe(3);
  });
});
