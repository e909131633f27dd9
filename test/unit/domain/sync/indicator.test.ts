import { describe, expect, it } from 'vitest';
import { syncIndicator, type IndicatorInput } from '../../../../src/domain/sync/indicator';

const H = 3600_000;
const base: IndicatorInput = {
  now: 100 * H,
  deviceState: 'active',
  updateRequired: false,
  lastPullAt: 100 * H - 60_000,
  lastGoodRequestAt: 100 * H - 30_000,
  failing: false,
  offlineAfterMinutes: 120,
  staleAfterHours: 24,
};

describe('the sync indicator', () => {
  it('is up to date after a recent pull with requests working', () => {
    expect(syncIndicator(base)).toEqual({
      state: 'up-to-date',
      offlineSince: null,
      dataAge: 60_000,
    });
  });

  it('says offline since the last good request, and offline for long past the threshold', () => {
    expect(syncIndicator({ ...base, failing: true })).toMatchObject({
      state: 'offline',
      offlineSince: base.lastGoodRequestAt,
    });
    expect(
      syncIndicator({ ...base, failing: true, lastGoodRequestAt: base.now - 2 * H }),
    ).toMatchObject({ state: 'offline-long' });
    // The office's own threshold decides.
    expect(
      syncIndicator({
        ...base,
        failing: true,
        lastGoodRequestAt: base.now - 2 * H,
        offlineAfterMinutes: 180,
      }),
    ).toMatchObject({ state: 'offline' });
  });

  it('says the data is old once the last complete pull passes the threshold', () => {
    expect(syncIndicator({ ...base, lastPullAt: base.now - 25 * H })).toMatchObject({
      state: 'stale',
      dataAge: 25 * H,
    });
  });

  it('puts a kiosk that cannot sync at all before everything else', () => {
    const offline = { ...base, failing: true, lastPullAt: null };
    expect(syncIndicator({ ...offline, deviceState: 'revoked' }).state).toBe('revoked');
    expect(syncIndicator({ ...offline, deviceState: 'unauthorized' }).state).toBe('unauthorized');
    expect(syncIndicator({ ...offline, updateRequired: true }).state).toBe('update-required');
    expect(syncIndicator(offline).state).toBe('first-sync');
  });
});
