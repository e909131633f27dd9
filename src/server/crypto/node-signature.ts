/**
 * ES256 signature checks with Node's one-shot `crypto.verify`, for the server's trust stores.
 * Same algorithm and encoding as the WebCrypto default (raw r‖s, "ieee-p1363"), but synchronous:
 * Node runs every WebCrypto verify as a thread-pool job, which for 30-byte messages costs about
 * as much as the curve arithmetic itself (measured in `npm run bench`, credential suite).
 */
import { createPublicKey, verify } from 'node:crypto';
import { toBase64Url } from '../../domain/bytes';
import type { SignatureCheckFactory } from '../../domain/credential/key-list';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from '../../domain/credential/es256';

export const nodeSignatureCheck: SignatureCheckFactory = async (raw) => {
  if (raw.length !== PUBLIC_KEY_LENGTH || raw[0] !== 0x04) {
    throw new Error('a P-256 public key is 65 bytes starting with 0x04');
  }
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: toBase64Url(raw.subarray(1, 33)),
      y: toBase64Url(raw.subarray(33, 65)),
    },
  });
  return (signature, message) =>
    signature.length === SIGNATURE_LENGTH &&
    verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
};
