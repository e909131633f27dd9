/**
 * The sizes docs/credential-format.md states, measured: code length per type, and the QR version
 * the `qrcode` package picks at the two error-correction levels DESIGN §3.3 prescribes (Q on
 * print, M on screens). A layout change that grows a code past its QR version fails here first.
 */
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE_PREFIX, issueCode, MAX_CODE_LENGTH } from '../../../../src/domain/credential/code';
import type { CredentialBody, CredentialTypeName } from '../../../../src/domain/credential/body';
import { generateSigningKeyPair } from '../../../../src/domain/credential/es256';
import type { CryptoKeyPairHandle } from '../../../../src/domain/webcrypto';

const header = {
  communityId: 0xffffffff,
  keyId: Uint8Array.of(0xff, 0xff, 0xff, 0xff),
  serial: 0xffffffff,
  notBefore: 0xfffffffe,
  expires: 0xffffffff,
};
const bodies: Record<CredentialTypeName, CredentialBody> = {
  card: { ...header, type: 'card', window: { weekdays: 0x7f, startQuarter: 96, endQuarter: 96 } },
  slip: { ...header, type: 'slip', trips: 255 },
  invitation: { ...header, type: 'invitation', persons: 255 },
};

// Base45 length is fixed by the byte count: 4 + ceil(3·(body + 64)/2).
const expected = {
  card: { chars: 138, M: 6, Q: 8 },
  slip: { chars: 135, M: 6, Q: 8 },
  invitation: { chars: 135, M: 6, Q: 8 },
};

let key: CryptoKeyPairHandle;
beforeAll(async () => {
  key = await generateSigningKeyPair();
});

describe('code size', () => {
  it.for(Object.keys(bodies) as CredentialTypeName[])(
    'a %s has a fixed length and QR version at M and Q, in alphanumeric mode',
    async (type) => {
      const code = await issueCode(bodies[type], key.privateKey);
      expect(code.startsWith(CODE_PREFIX)).toBe(true);
      expect(code.length).toBe(expected[type].chars);
      for (const level of ['M', 'Q'] as const) {
        const qr = QRCode.create(code, { errorCorrectionLevel: level });
        expect(qr.version, level).toBe(expected[type][level]);
        expect(qr.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric']);
      }
    },
  );

  it('bounds every code by the longest (a card)', () => {
    expect(MAX_CODE_LENGTH).toBe(expected.card.chars);
  });
});
