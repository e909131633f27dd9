import { describe, expect, it } from 'vitest';
import {
  acceptedKeyListPayload,
  createTrustStore,
} from '../../../../src/domain/credential/trust-store';
import { verifyKeyList } from '../../../../src/domain/credential/key-list';
import { verifyCode } from '../../../../src/domain/credential/verify';
import { createTestCommunity } from '../../../fixtures/community-keys';

describe('the trust store of an accepted key list', () => {
  it('is rebuilt from the stored payload text and verifies the community’s codes', async () => {
    const c = await createTestCommunity(9);
    const accepted = await verifyKeyList(c.signedKeyList, c.rootPublicKey, { communityId: 9 });
    expect(accepted.ok).toBe(true);
    const payload = acceptedKeyListPayload(c.signedKeyList.payload);
    expect(accepted.ok && payload).toEqual(accepted.ok && accepted.list);
    const trust = await createTrustStore(payload);
    const code = await c.issue({ type: 'slip', serial: 1, notBefore: 100, expires: 200, trips: 1 });
    expect(await verifyCode(code, { trust, now: 150, clockToleranceS: 0 })).toMatchObject({
      ok: true,
    });
  });
});
