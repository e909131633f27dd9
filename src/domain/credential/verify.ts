/**
 * Verifies a scanned `GP1:` code offline, against the community's trusted key list.
 *
 * Order matters: the input is bounded and parsed strictly first, the key is found by the id in
 * the (still untrusted) body, the signature is checked over the exact bytes, and only then are
 * the body's fields believed: community, key use, key period, not-before and expiry.
 * Every outcome has a stable reason code that the kiosk maps to one line for the guard.
 */
import { decodeBase45 } from '../base45';
import { toHex } from '../bytes';
import { BodyFormatError, decodeBody, HEADER_LENGTH, type CredentialBody } from './body';
import { CODE_PREFIX, MAX_CODE_LENGTH, signedMessage } from './code';
import { SIGNATURE_LENGTH } from './es256';
import type { SigningKeyEntry } from './key-list';
import type { TrustStore } from './trust-store';

export const VERIFY_REASONS = [
  'ok',
  'malformed',
  'unknown_prefix',
  'unknown_key',
  'bad_signature',
  'wrong_community',
  'key_not_for_this_use',
  'not_yet_valid',
  'expired',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export type VerifyResult =
  | { ok: true; reason: 'ok'; credential: CredentialBody; key: SigningKeyEntry }
  | {
      ok: false;
      reason: Exclude<VerifyReason, 'ok'>;
      /** Why, in words for logs and tests; the guard sees the reason's own message. */
      detail: string;
      /** Present only when the signature passed, so the fields can be shown (e.g. expired when). */
      credential?: CredentialBody;
    };

export interface VerifyOptions {
  trust: TrustStore;
  /** Device time, seconds. */
  now: number;
  /** Accepted clock difference at both edges of the validity period, seconds. */
  clockToleranceS: number;
}

const fail = (
  reason: Exclude<VerifyReason, 'ok'>,
  detail: string,
  credential?: CredentialBody,
): VerifyResult =>
  credential ? { ok: false, reason, detail, credential } : { ok: false, reason, detail };

/** A well-formed code of another version (`GP2:` …) is "unknown_prefix", anything else "malformed". */
const OTHER_VERSION_PREFIX = /^GP[0-9A-Z]:/;

export async function verifyCode(text: string, opts: VerifyOptions): Promise<VerifyResult> {
  if (typeof text !== 'string') return fail('malformed', 'not text');
  if (!text.startsWith(CODE_PREFIX)) {
    return OTHER_VERSION_PREFIX.test(text.slice(0, 4))
      ? fail('unknown_prefix', `prefix ${text.slice(0, 4)} is not ${CODE_PREFIX}`)
      : fail('malformed', 'not a Gatepost code');
  }
  if (text.length > MAX_CODE_LENGTH) return fail('malformed', 'longer than any Gatepost code');

  let raw: Uint8Array;
  try {
    raw = decodeBase45(text.slice(CODE_PREFIX.length));
  } catch (e) {
    return fail('malformed', (e as Error).message);
  }
  if (raw.length < HEADER_LENGTH + SIGNATURE_LENGTH) return fail('malformed', 'too short');
  const bodyBytes = raw.subarray(0, raw.length - SIGNATURE_LENGTH);
  const signature = raw.subarray(raw.length - SIGNATURE_LENGTH);

  let claimed: CredentialBody;
  try {
    claimed = decodeBody(bodyBytes);
  } catch (e) {
    if (e instanceof BodyFormatError) return fail('malformed', e.message);
    throw e;
  }

  const candidates = opts.trust.candidates(claimed.keyId);
  if (candidates.length === 0) {
    // Untrusted, but a deny either way: naming the claimed community helps the guard more.
    return claimed.communityId !== opts.trust.communityId
      ? fail('wrong_community', `code claims community ${claimed.communityId}`)
      : fail('unknown_key', `no key ${toHex(claimed.keyId)} in the key list`);
  }
  const message = signedMessage(bodyBytes);
  let signer: SigningKeyEntry | undefined;
  for (const candidate of candidates) {
    if (await candidate.check(signature, message)) {
      signer = candidate.entry;
      break;
    }
  }
  if (!signer) return fail('bad_signature', 'signature does not verify');

  // From here on the body is authentic.
  const credential = claimed;
  if (credential.communityId !== opts.trust.communityId) {
    return fail('wrong_community', `community ${credential.communityId}`, credential);
  }
  if (!signer.uses.includes(credential.type)) {
    return fail(
      'key_not_for_this_use',
      `key ${signer.kid} may not sign a ${credential.type}`,
      credential,
    );
  }
  if (credential.notBefore < signer.notBefore || credential.notBefore > signer.notAfter) {
    return fail('unknown_key', `key ${signer.kid} was not valid at the code's start`, credential);
  }
  if (opts.now + opts.clockToleranceS < credential.notBefore) {
    return fail('not_yet_valid', `valid from ${credential.notBefore}`, credential);
  }
  if (opts.now - opts.clockToleranceS >= credential.expires) {
    return fail('expired', `expired at ${credential.expires}`, credential);
  }
  return { ok: true, reason: 'ok', credential, key: signer };
}
