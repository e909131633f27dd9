/**
 * The text a QR holds: `GP1:` ‖ Base45(body ‖ signature), and the ES256 signature over
 * ASCII(`GP1:`) ‖ body. Issuing is used by the server; verification (verify.ts) everywhere.
 */
import { asciiBytes, concatBytes } from '../bytes';
import { encodeBase45 } from '../base45';
import type { CryptoKeyHandle } from '../webcrypto';
import { encodeBody, MAX_BODY_LENGTH, type CredentialBody } from './body';
import { sign, SIGNATURE_LENGTH } from './es256';

export const CODE_PREFIX = 'GP1:';

/** The longest text a valid code can be; anything longer is refused before decoding. */
export const MAX_CODE_LENGTH =
  CODE_PREFIX.length + Math.ceil(((MAX_BODY_LENGTH + SIGNATURE_LENGTH) * 3) / 2);

const PREFIX_BYTES = asciiBytes(CODE_PREFIX);

export function signedMessage(body: Uint8Array): Uint8Array {
  return concatBytes(PREFIX_BYTES, body);
}

export async function issueCode(
  body: CredentialBody,
  privateKey: CryptoKeyHandle,
): Promise<string> {
  const bytes = encodeBody(body);
  const signature = await sign(privateKey, signedMessage(bytes));
  return CODE_PREFIX + encodeBase45(concatBytes(bytes, signature));
}
