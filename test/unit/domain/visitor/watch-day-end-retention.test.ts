import { describe, expect, it } from 'vitest';
import { dueForEndOfDay, lastClosingAt } from '../../../../src/domain/visitor/day-end';
import { kioskEntriesToPurge, DAY_MS } from '../../../../src/domain/visitor/retention';
import { matchWatchList } from '../../../../src/domain/visitor/watch';

const h = (c: string) => c.repeat(64);

describe('matchWatchList', () => {
  const entries = [
    {
      id: 'w1',
      row: {
        level: 'watch' as const,
        idHash: h('a'),
        namePhoneHash: null,
        instruction: '通知主管',
      },
    },
    {
      id: 'w2',
      row: { level: 'deny' as const, idHash: null, namePhoneHash: h('b'), instruction: '禁止进入' },
    },
  ];
  it('matches by ID hash or by name-and-phone hash', () => {
    expect(matchWatchList(entries, { idHash: h('a'), namePhoneHash: null })).toEqual({
      level: 'watch',
      instruction: '通知主管',
      entryId: 'w1',
    });
    expect(matchWatchList(entries, { idHash: null, namePhoneHash: h('b') })).toMatchObject({
      level: 'deny',
    });
    expect(matchWatchList(entries, { idHash: h('c'), namePhoneHash: h('d') })).toBeNull();
    expect(matchWatchList(entries, { idHash: null, namePhoneHash: null })).toBeNull();
  });
  it('a deny entry wins over a watch entry', () => {
    expect(matchWatchList(entries, { idHash: h('a'), namePhoneHash: h('b') })).toMatchObject({
      level: 'deny',
      entryId: 'w2',
    });
  });
});

describe('end of day', () => {
  const tz = 'Asia/Shanghai';
  // 2025-06-01 22:00 in Shanghai.
  const closing = Date.UTC(2025, 5, 1, 14, 0) / 1000;
  it('finds the last closing time, today or yesterday', () => {
    expect(lastClosingAt(closing, 22 * 60, tz)).toBe(closing);
    expect(lastClosingAt(closing + 3600, 22 * 60, tz)).toBe(closing);
    expect(lastClosingAt(closing - 1, 22 * 60, tz)).toBe(closing - 86_400);
  });
  it('signs out exactly those inside who came before closing', () => {
    const inside = [
      { id: 'early', at: (closing - 3600) * 1000 },
      { id: 'late', at: (closing + 60) * 1000 },
    ];
    expect(dueForEndOfDay(inside, (closing - 1) * 1000, 22 * 60, tz)).toEqual([]);
    expect(dueForEndOfDay(inside, (closing + 120) * 1000, 22 * 60, tz).map((e) => e.id)).toEqual([
      'early',
    ]);
    // The visitor who came after closing is signed out at the next closing.
    expect(dueForEndOfDay(inside, (closing + 86_400) * 1000, 22 * 60, tz).map((e) => e.id)).toEqual(
      ['early', 'late'],
    );
  });
});

describe('kiosk retention', () => {
  const now = Date.UTC(2025, 5, 30);
  it('purges acknowledged entries older than the period, and nothing else', () => {
    const entries = [
      { id: 'old-acked', at: now - 31 * DAY_MS },
      { id: 'old-waiting', at: now - 40 * DAY_MS },
      { id: 'edge', at: now - 30 * DAY_MS },
      { id: 'new', at: now - DAY_MS },
    ];
    expect(kioskEntriesToPurge(entries, now, 30, new Set(['old-waiting']))).toEqual(['old-acked']);
    expect(kioskEntriesToPurge(entries, now, 7, new Set())).toEqual([
      'old-acked',
      'old-waiting',
      'edge',
    ]);
  });
});
