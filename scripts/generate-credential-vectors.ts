/**
 * Writes test/fixtures/credential-vectors.json: the `GP1:` credential and key-list test vectors
 * that docs/credential-format.md specifies and test/unit/domain/credential/vectors.test.ts reads.
 *
 *   npx tsx scripts/generate-credential-vectors.ts
 *
 * Run it once and commit the result; the tests never regenerate it, so the committed vectors are
 * a contract that a later change to the codec cannot silently move. Times, ids, serials and the
 * set of vectors are fixed here; the keys and the ECDSA signatures are fresh on every run
 * (WebCrypto signs with a random nonce), so re-running replaces every code and key but no
 * expectation. Only public material is written: the private keys live and die in this process.
 *
 * Before writing, every vector is checked against verifyCode / verifyKeyList, so a fixture whose
 * expectation disagrees with the code is never produced.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { decodeBase45, encodeBase45 } from '../src/domain/base45';
import { concatBytes, toBase64Url, toHex } from '../src/domain/bytes';
import { utf8Encode, type CryptoKeyPairHandle } from '../src/domain/webcrypto';
import {
  encodeBody,
  type CredentialBody,
  type CredentialTypeName,
} from '../src/domain/credential/body';
import { CODE_PREFIX, issueCode, signedMessage } from '../src/domain/credential/code';
import {
  exportPublicKey,
  fingerprintOf,
  generateSigningKeyPair,
  keyIdOf,
  sign,
} from '../src/domain/credential/es256';
import {
  createTrustStore,
  signingKeyEntry,
  signKeyList,
  verifyKeyList,
  type KeyListExpectations,
  type KeyListPayload,
  type SignedKeyList,
} from '../src/domain/credential/key-list';
import { verifyCode, type VerifyResult } from '../src/domain/credential/verify';

const OUT = fileURLToPath(new URL('../test/fixtures/credential-vectors.json', import.meta.url));

const DAY = 86_400;
/** 2026-03-02T08:00:00Z: the verifier's clock for every vector. */
const NOW = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000;
const CLOCK_TOLERANCE_S = 300;
const COMMUNITY = 4711;
const OTHER_COMMUNITY = 4712;
const KEY_LIST_SEQ = 7;

// ---------------------------------------------------------------------------------------------
// Keys

interface NamedKey {
  pair: CryptoKeyPairHandle;
  raw: Uint8Array;
  kid: Uint8Array;
}

async function newKey(): Promise<NamedKey> {
  const pair = await generateSigningKeyPair();
  const raw = await exportPublicKey(pair.publicKey);
  return { pair, raw, kid: await keyIdOf(raw) };
}

const root = await newKey();
const notRoot = await newKey();
const main = await newKey(); // every use, valid now
const slips = await newKey(); // release slips only
const retired = await newKey(); // its signing period ended 30 days ago
const stranger = await newKey(); // in no key list; also plays another community's key

// Four-byte ids may collide; a collision would change which reason some vectors expect.
const kids = [main, slips, retired, stranger].map((k) => toHex(k.kid));
if (new Set(kids).size !== kids.length) throw new Error('key id collision: run the script again');

const MAIN_PERIOD = { notBefore: NOW - 180 * DAY, notAfter: NOW + 365 * DAY };
const RETIRED_PERIOD = { notBefore: NOW - 400 * DAY, notAfter: NOW - 30 * DAY };
const ALL_USES: CredentialTypeName[] = ['card', 'slip', 'invitation'];

const entries = {
  main: await signingKeyEntry(main.raw, { ...MAIN_PERIOD, uses: ALL_USES }),
  slips: await signingKeyEntry(slips.raw, { ...MAIN_PERIOD, uses: ['slip'] }),
  retired: await signingKeyEntry(retired.raw, { ...RETIRED_PERIOD, uses: ALL_USES }),
};

const payload: KeyListPayload = {
  format: 'gatepost-keylist/1',
  communityId: COMMUNITY,
  seq: KEY_LIST_SEQ,
  issuedAt: NOW - DAY,
  keys: [entries.main, entries.slips, entries.retired],
};
const keyList = await signKeyList(payload, root.pair.privateKey);

// ---------------------------------------------------------------------------------------------
// Credential vectors

interface Expected {
  reason: VerifyResult['reason'];
  /** The body's fields, for valid codes and for refusals made after the signature passed. */
  type?: CredentialTypeName;
  serial?: number;
  communityId?: number;
  keyId?: string;
  notBefore?: number;
  expires?: number;
  window?: { weekdays: number; startQuarter: number; endQuarter: number };
  trips?: number;
  persons?: number;
  /** The kid of the key-list entry whose signature verified (valid codes only). */
  signer?: string;
}

interface CodeVector {
  name: string;
  description: string;
  code: string;
  expected: Expected;
}

const vectors: CodeVector[] = [];

function fieldsOf(body: CredentialBody): Expected {
  const common = {
    type: body.type,
    serial: body.serial,
    communityId: body.communityId,
    keyId: toHex(body.keyId),
    notBefore: body.notBefore,
    expires: body.expires,
  };
  switch (body.type) {
    case 'card':
      return { reason: 'ok', ...common, window: { ...body.window } };
    case 'slip':
      return { reason: 'ok', ...common, trips: body.trips };
    case 'invitation':
      return { reason: 'ok', ...common, persons: body.persons };
  }
}

let nextSerial = 1001;
type BodyOverrides = Partial<CredentialBody>;

function card(key: NamedKey, over: BodyOverrides = {}): CredentialBody {
  return {
    type: 'card',
    communityId: COMMUNITY,
    keyId: key.kid,
    serial: nextSerial++,
    notBefore: NOW - 30 * DAY,
    expires: NOW + 335 * DAY,
    // Monday to Friday, 06:00 to 22:00.
    window: { weekdays: 0b0011111, startQuarter: 24, endQuarter: 88 },
    ...over,
  } as CredentialBody;
}

function slip(key: NamedKey, over: BodyOverrides = {}): CredentialBody {
  return {
    type: 'slip',
    communityId: COMMUNITY,
    keyId: key.kid,
    serial: nextSerial++,
    notBefore: NOW - 2 * 3600,
    expires: NOW + 2 * DAY,
    trips: 1,
    ...over,
  } as CredentialBody;
}

function invitation(key: NamedKey, over: BodyOverrides = {}): CredentialBody {
  return {
    type: 'invitation',
    communityId: COMMUNITY,
    keyId: key.kid,
    serial: nextSerial++,
    notBefore: NOW - 3600,
    expires: NOW + 7 * DAY,
    persons: 3,
    ...over,
  } as CredentialBody;
}

/** Signs arbitrary body bytes exactly as issueCode would, for bodies encodeBody refuses to build. */
async function signRaw(body: Uint8Array, key: NamedKey): Promise<string> {
  const signature = await sign(key.pair.privateKey, signedMessage(body));
  return CODE_PREFIX + encodeBase45(concatBytes(body, signature));
}

/** The raw body ‖ signature bytes of a code. */
function rawOf(code: string): Uint8Array {
  return decodeBase45(code.slice(CODE_PREFIX.length));
}

function withRaw(raw: Uint8Array): string {
  return CODE_PREFIX + encodeBase45(raw);
}

async function valid(name: string, description: string, body: CredentialBody, key: NamedKey) {
  const code = await issueCode(body, key.pair.privateKey);
  vectors.push({
    name,
    description,
    code,
    expected: { ...fieldsOf(body), signer: toHex(key.kid) },
  });
  return code;
}

/** A refusal made after the signature passed: verify.ts returns the authentic fields with it. */
async function refusedAfterSignature(
  name: string,
  description: string,
  body: CredentialBody,
  key: NamedKey,
  reason: Expected['reason'],
) {
  const code = await issueCode(body, key.pair.privateKey);
  vectors.push({ name, description, code, expected: { ...fieldsOf(body), reason } });
}

function invalid(name: string, description: string, code: string, reason: Expected['reason']) {
  vectors.push({ name, description, code, expected: { reason } });
}

// Valid codes, one per type and the edges that must still pass.
const cardCode = await valid(
  'valid-card',
  'An access card, weekdays 06:00-22:00, signed by the all-uses key.',
  card(main),
  main,
);
const slipCode = await valid(
  'valid-slip',
  'A single-trip release slip signed by the all-uses key.',
  slip(main),
  main,
);
await valid(
  'valid-slip-by-slips-key',
  'A release slip for 3 trips signed by the key restricted to slips.',
  slip(slips, { trips: 3 }),
  slips,
);
const invitationCode = await valid(
  'valid-invitation',
  'A visitor invitation for 3 persons signed by the all-uses key.',
  invitation(main),
  main,
);
await valid(
  'valid-card-night-window',
  'A card whose window crosses midnight (22:00-06:00, every day): endQuarter < startQuarter.',
  card(main, { window: { weekdays: 0b1111111, startQuarter: 88, endQuarter: 24 } }),
  main,
);
await valid(
  'valid-card-by-retired-key',
  'Rotation: signed by the retired key while it could sign; still valid after the key retired.',
  card(retired, { notBefore: NOW - 60 * DAY, expires: NOW + 300 * DAY }),
  retired,
);
await valid(
  'valid-not-before-within-tolerance',
  'Starts 200 s in the future, inside the 300 s clock tolerance.',
  invitation(main, { notBefore: NOW + 200, expires: NOW + DAY }),
  main,
);
await valid(
  'valid-expires-within-tolerance',
  'Expired 200 s ago, inside the 300 s clock tolerance.',
  slip(main, { notBefore: NOW - DAY, expires: NOW - 200 }),
  main,
);

// Text-level refusals.
invalid('empty', 'The empty string.', '', 'malformed');
invalid('plain-text', 'Text that is no code at all.', 'Hello, gate!', 'malformed');
invalid(
  'hcert-prefix',
  'An EU DCC (HC1:) prefix: a different scheme, not another Gatepost version.',
  'HC1:' + cardCode.slice(CODE_PREFIX.length),
  'malformed',
);
invalid(
  'lower-case-prefix',
  'The prefix in lower case: QR alphanumeric mode cannot carry it and no issuer writes it.',
  'gp1:' + cardCode.slice(CODE_PREFIX.length),
  'malformed',
);
invalid(
  'gp2-prefix',
  'A future format version: recognisably Gatepost, not readable by this verifier.',
  'GP2:' + cardCode.slice(CODE_PREFIX.length),
  'unknown_prefix',
);
invalid('prefix-only', 'The prefix with nothing after it.', CODE_PREFIX, 'malformed');
invalid('leading-space', 'A valid code preceded by a space.', ' ' + cardCode, 'malformed');
invalid(
  'trailing-space',
  'A valid slip followed by a space (a Base45 character): the body becomes a byte too long.',
  slipCode + ' ',
  'malformed',
);
invalid(
  'trailing-newline',
  'A valid code followed by a newline, as some scanners in keyboard mode add.',
  cardCode + '\n',
  'malformed',
);
invalid(
  'truncated-one-char',
  'The last character removed: the Base45 length becomes 3k+1.',
  cardCode.slice(0, -1),
  'malformed',
);
invalid(
  'truncated-two-chars',
  'The last two characters removed: valid Base45, one byte short.',
  cardCode.slice(0, -2),
  'malformed',
);
invalid(
  'truncated-signature',
  'Only the body and half the signature.',
  withRaw(rawOf(invitationCode).slice(0, -32)),
  'malformed',
);
invalid(
  'extended-bytes',
  'A valid slip with two bytes appended after the signature, re-encoded.',
  withRaw(concatBytes(rawOf(slipCode), Uint8Array.of(0x00, 0x01))),
  'malformed',
);
invalid(
  'extended-beyond-max-length',
  'A valid card with one byte appended: longer than any Gatepost code, refused before decoding.',
  withRaw(concatBytes(rawOf(cardCode), Uint8Array.of(0x2a))),
  'malformed',
);
invalid(
  'base45-length-3k1',
  'One extra Base45 character appended: a length of 3k+1 is never valid.',
  cardCode + '0',
  'malformed',
);
invalid(
  'base45-lower-case',
  'Lower-case letters, which are not in the Base45 alphabet.',
  CODE_PREFIX + cardCode.slice(CODE_PREFIX.length).toLowerCase(),
  'malformed',
);
invalid(
  'base45-hash',
  "A '#', which is not in the Base45 alphabet, in place of the first character.",
  CODE_PREFIX + '#' + cardCode.slice(CODE_PREFIX.length + 1),
  'malformed',
);
invalid(
  'base45-overflow-colons',
  "The first triplet replaced by ':::' (91124, above 65535).",
  CODE_PREFIX + ':::' + cardCode.slice(CODE_PREFIX.length + 3),
  'malformed',
);
invalid(
  'base45-overflow-ggw',
  "The first triplet replaced by 'GGW' (65536, one above 65535).",
  CODE_PREFIX + 'GGW' + cardCode.slice(CODE_PREFIX.length + 3),
  'malformed',
);

// Body-level refusals, signed by a trusted key so that only the structure is at fault.
{
  const base = encodeBody(card(main));
  const version = base.slice();
  version[0] = 2;
  invalid(
    'unknown-body-version',
    'Body version byte 2, correctly signed by a trusted key.',
    await signRaw(version, main),
    'malformed',
  );
  const type = base.slice();
  type[1] = 4;
  invalid(
    'unknown-type-byte',
    'Type byte 4, correctly signed by a trusted key.',
    await signRaw(type, main),
    'malformed',
  );
  const view = new DataView(base.buffer);
  const inverted = base.slice();
  new DataView(inverted.buffer).setUint32(18, view.getUint32(14) - 1);
  invalid(
    'expires-before-not-before',
    'Expires one second before not-before, correctly signed.',
    await signRaw(inverted, main),
    'malformed',
  );
  const equal = base.slice();
  new DataView(equal.buffer).setUint32(18, view.getUint32(14));
  invalid(
    'expires-equals-not-before',
    'Expires equal to not-before (an empty validity period), correctly signed.',
    await signRaw(equal, main),
    'malformed',
  );
  const noDays = base.slice();
  noDays[22] = 0;
  invalid(
    'card-no-weekday',
    'A card whose weekday mask is 0 (never valid), correctly signed.',
    await signRaw(noDays, main),
    'malformed',
  );
  const quarter = base.slice();
  quarter[24] = 97;
  invalid(
    'card-quarter-out-of-range',
    'A card window ending at quarter-hour 97 (after midnight), correctly signed.',
    await signRaw(quarter, main),
    'malformed',
  );
  const zeroTrips = encodeBody(slip(main));
  zeroTrips[22] = 0;
  invalid(
    'slip-zero-trips',
    'A slip for 0 trips, correctly signed.',
    await signRaw(zeroTrips, main),
    'malformed',
  );
  const cardAsSlip = base.slice();
  cardAsSlip[1] = 2;
  invalid(
    'length-does-not-match-type',
    'A 25-byte card body relabelled as a slip (23 bytes), correctly signed.',
    await signRaw(cardAsSlip, main),
    'malformed',
  );
}

// Key and signature refusals.
invalid(
  'key-not-in-list',
  'Signed by a key that is in no key list; its id names it.',
  await issueCode(card(stranger), stranger.pair.privateKey),
  'unknown_key',
);
invalid(
  'forged-key-id',
  "Names the all-uses key's id but is signed by a key not in the list.",
  await issueCode(card(main), stranger.pair.privateKey),
  'bad_signature',
);
{
  const raw = rawOf(await issueCode(card(main), main.pair.privateKey));
  raw[raw.length - 1]! ^= 0x01;
  invalid(
    'flipped-signature-bit',
    "The signature's last bit flipped.",
    withRaw(raw),
    'bad_signature',
  );
}
{
  const raw = rawOf(await issueCode(invitation(main), main.pair.privateKey));
  raw[22]! ^= 0x04; // persons 3 → 7
  invalid(
    'altered-body',
    'A valid invitation whose persons byte was changed from 3 to 7 after signing.',
    withRaw(raw),
    'bad_signature',
  );
}
{
  const a = rawOf(await issueCode(slip(main), main.pair.privateKey));
  const b = rawOf(await issueCode(slip(main), main.pair.privateKey));
  invalid(
    'signature-from-another-code',
    "A slip carrying another slip's valid signature by the same key.",
    withRaw(concatBytes(a.slice(0, -64), b.slice(-64))),
    'bad_signature',
  );
}
invalid(
  'zero-signature',
  'A valid card body with an all-zero signature (r = s = 0 is never valid ECDSA).',
  withRaw(concatBytes(encodeBody(card(main)), new Uint8Array(64))),
  'bad_signature',
);
await refusedAfterSignature(
  'key-period-ended',
  'Signed by the retired key with a not-before after its signing period ended.',
  card(retired, { notBefore: NOW - DAY, expires: NOW + 300 * DAY }),
  retired,
  'unknown_key',
);
await refusedAfterSignature(
  'key-period-not-started',
  "Signed by the all-uses key with a not-before before that key's signing period began.",
  invitation(main, { notBefore: MAIN_PERIOD.notBefore - DAY, expires: NOW + DAY }),
  main,
  'unknown_key',
);
await refusedAfterSignature(
  'card-by-slips-key',
  'An access card signed by the key restricted to release slips.',
  card(slips),
  slips,
  'key_not_for_this_use',
);
await refusedAfterSignature(
  'invitation-by-slips-key',
  'A visitor invitation signed by the key restricted to release slips.',
  invitation(slips),
  slips,
  'key_not_for_this_use',
);

// Community and time refusals.
await refusedAfterSignature(
  'wrong-community',
  "Signed by this community's trusted key, but the body claims another community.",
  card(main, { communityId: OTHER_COMMUNITY }),
  main,
  'wrong_community',
);
invalid(
  'other-community-code',
  "Another community's card, signed by that community's key (unknown here).",
  await issueCode(card(stranger, { communityId: OTHER_COMMUNITY }), stranger.pair.privateKey),
  'wrong_community',
);
await refusedAfterSignature(
  'expired',
  'A slip that expired a day ago.',
  slip(main, { notBefore: NOW - 3 * DAY, expires: NOW - DAY }),
  main,
  'expired',
);
await refusedAfterSignature(
  'expired-at-tolerance-edge',
  'Expires exactly clock tolerance before now: expiry is exclusive, so refused.',
  slip(main, { notBefore: NOW - DAY, expires: NOW - CLOCK_TOLERANCE_S }),
  main,
  'expired',
);
await refusedAfterSignature(
  'not-yet-valid',
  'An invitation that starts tomorrow.',
  invitation(main, { notBefore: NOW + DAY, expires: NOW + 2 * DAY }),
  main,
  'not_yet_valid',
);
await refusedAfterSignature(
  'not-yet-valid-past-tolerance-edge',
  'Starts one second beyond the clock tolerance.',
  invitation(main, { notBefore: NOW + CLOCK_TOLERANCE_S + 1, expires: NOW + 2 * DAY }),
  main,
  'not_yet_valid',
);

// ---------------------------------------------------------------------------------------------
// Key-list vectors

interface KeyListVector {
  name: string;
  description: string;
  signed: unknown;
  expect: { communityId: number; current?: { seq: number; payload: string } };
  expected: {
    reason: 'ok' | 'malformed' | 'bad_signature' | 'wrong_community' | 'rollback';
    seq?: number;
  };
}

const current = { seq: KEY_LIST_SEQ, payload: keyList.payload };
const older = await signKeyList(
  { ...payload, seq: KEY_LIST_SEQ - 1, keys: [entries.main, entries.retired] },
  root.pair.privateKey,
);
const newer = await signKeyList(
  { ...payload, seq: KEY_LIST_SEQ + 1, issuedAt: NOW, keys: [entries.main, entries.slips] },
  root.pair.privateKey,
);
const altered = await signKeyList({ ...payload, keys: [entries.main] }, root.pair.privateKey);
const byNotRoot = await signKeyList(payload, notRoot.pair.privateKey);
const otherCommunity = await signKeyList(
  { ...payload, communityId: OTHER_COMMUNITY },
  root.pair.privateKey,
);
const tampered: SignedKeyList = {
  ...keyList,
  payload: toBase64Url(
    utf8Encode(
      JSON.stringify({ ...payload, keys: [entries.main, { ...entries.slips, uses: ALL_USES }] }),
    ),
  ),
};
const badKid = await signKeyList(
  { ...payload, keys: [{ ...entries.main, kid: toHex(stranger.kid) }] },
  root.pair.privateKey,
);

const keyListVectors: KeyListVector[] = [
  {
    name: 'valid',
    description: 'The fixture key list, on first enrollment (no current list).',
    signed: keyList,
    expect: { communityId: COMMUNITY },
    expected: { reason: 'ok', seq: KEY_LIST_SEQ },
  },
  {
    name: 'valid-same-again',
    description: 'The same list received again while holding it: accepted, nothing changes.',
    signed: keyList,
    expect: { communityId: COMMUNITY, current },
    expected: { reason: 'ok', seq: KEY_LIST_SEQ },
  },
  {
    name: 'valid-newer',
    description: 'A newer list (seq + 1, the retired key dropped) while holding the fixture list.',
    signed: newer,
    expect: { communityId: COMMUNITY, current },
    expected: { reason: 'ok', seq: KEY_LIST_SEQ + 1 },
  },
  {
    name: 'rollback',
    description: 'A genuine older list (seq - 1) while holding the fixture list.',
    signed: older,
    expect: { communityId: COMMUNITY, current },
    expected: { reason: 'rollback' },
  },
  {
    name: 'same-seq-altered',
    description: 'A genuine list with the same seq as the held one but different keys.',
    signed: altered,
    expect: { communityId: COMMUNITY, current },
    expected: { reason: 'rollback' },
  },
  {
    name: 'signed-by-non-root',
    description: 'The fixture payload signed by a key other than the pinned root.',
    signed: byNotRoot,
    expect: { communityId: COMMUNITY },
    expected: { reason: 'bad_signature' },
  },
  {
    name: 'payload-tampered',
    description: "The fixture signature over a payload that widens the slips key's uses.",
    signed: tampered,
    expect: { communityId: COMMUNITY },
    expected: { reason: 'bad_signature' },
  },
  {
    name: 'other-community',
    description: 'Signed by the pinned root, but for community 4712.',
    signed: otherCommunity,
    expect: { communityId: COMMUNITY },
    expected: { reason: 'wrong_community' },
  },
  {
    name: 'kid-mismatch',
    description: 'Signed by the root, but an entry whose kid is not derived from its public key.',
    signed: badKid,
    expect: { communityId: COMMUNITY },
    expected: { reason: 'malformed' },
  },
  {
    name: 'envelope-missing-signature',
    description: 'An envelope without its signature.',
    signed: { payload: keyList.payload },
    expect: { communityId: COMMUNITY },
    expected: { reason: 'malformed' },
  },
];

// ---------------------------------------------------------------------------------------------
// Self-check, then write

const verified = await verifyKeyList(keyList, root.raw, { communityId: COMMUNITY });
if (!verified.ok) throw new Error(`fixture key list does not verify: ${verified.message}`);
const trust = await createTrustStore(verified.list);
const opts = { trust, now: NOW, clockToleranceS: CLOCK_TOLERANCE_S };

if (new Set(vectors.map((v) => v.name)).size !== vectors.length) throw new Error('duplicate name');
for (const v of vectors) {
  const result = await verifyCode(v.code, opts);
  if (result.reason !== v.expected.reason) {
    throw new Error(`${v.name}: expected ${v.expected.reason}, got ${result.reason}`);
  }
  if (result.ok && result.key.kid !== v.expected.signer) throw new Error(`${v.name}: signer`);
}
for (const v of keyListVectors) {
  const result = await verifyKeyList(v.signed, root.raw, v.expect as KeyListExpectations);
  const reason = result.ok ? 'ok' : result.reason;
  if (reason !== v.expected.reason) {
    throw new Error(`key list ${v.name}: expected ${v.expected.reason}, got ${reason}`);
  }
}

const fixture = {
  format: 'gatepost-credential-vectors/1',
  about:
    'Test vectors for the GP1: credential and the signed key list; see docs/credential-format.md. ' +
    'Generated by scripts/generate-credential-vectors.ts; public material only.',
  communityId: COMMUNITY,
  now: NOW,
  nowIso: new Date(NOW * 1000).toISOString(),
  clockToleranceS: CLOCK_TOLERANCE_S,
  rootPublicKey: toBase64Url(root.raw),
  rootFingerprint: await fingerprintOf(root.raw),
  keyList,
  // For reading only: what keyList.payload decodes to. Verifiers use the signed bytes.
  keyListDecoded: payload,
  keys: {
    main: { kid: entries.main.kid, inKeyList: true, note: 'all uses, signing period includes now' },
    slips: { kid: entries.slips.kid, inKeyList: true, note: 'release slips only' },
    retired: {
      kid: entries.retired.kid,
      inKeyList: true,
      note: 'signing period ended 30 days ago',
    },
    stranger: {
      kid: toHex(stranger.kid),
      publicKey: toBase64Url(stranger.raw),
      inKeyList: false,
      note: "in no key list; also stands for another community's key",
    },
  },
  vectors,
  keyListVectors,
};

const config = (await prettier.resolveConfig(OUT)) ?? {};
writeFileSync(OUT, await prettier.format(JSON.stringify(fixture), { ...config, filepath: OUT }));
console.log(
  `wrote ${vectors.length} code vectors and ${keyListVectors.length} key-list vectors to ${OUT}`,
);
