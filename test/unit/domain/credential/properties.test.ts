/**
 * Properties of the credential codec and verifier, by fast-check: round trips, the order of the
 * checks after the signature, and that nothing but an issued code verifies (every single-bit
 * flip, truncation, extension and character mutation of real codes, and 100,000 random inputs).
 *
 * Cost model, which sizes the runs below: an ECDSA P-256 verify costs about 0.13 ms here, the
 * cheaper checks (prefix, length, Base45, body layout, key id lookup) a few microseconds. Random
 * input is refused long before the signature stage, because reaching it takes a body that parses
 * and names a key in the trust store by its 4-byte id, which random bytes hit with probability
 * about 2^-32. Only the inputs built to reach it (mutations of real codes, and the "structured"
 * class below) pay for a verify, and those are counted so the file stays within a few seconds.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from '../../../../src/domain/base45';
import { concatBytes, toHex } from '../../../../src/domain/bytes';
import {
  BodyFormatError,
  CREDENTIAL_VERSION,
  CredentialType,
  decodeBody,
  encodeBody,
  HEADER_LENGTH,
  type CardWindow,
  type CredentialBody,
  type CredentialTypeName,
} from '../../../../src/domain/credential/body';
import {
  CODE_PREFIX,
  issueCode,
  MAX_CODE_LENGTH,
  signedMessage,
} from '../../../../src/domain/credential/code';
import {
  exportPublicKey,
  generateSigningKeyPair,
  keyIdOf,
  SIGNATURE_LENGTH,
  verifySignature,
} from '../../../../src/domain/credential/es256';
import {
  createTrustStore,
  signingKeyEntry,
  type TrustStore,
} from '../../../../src/domain/credential/key-list';
import {
  VERIFY_REASONS,
  verifyCode,
  type VerifyOptions,
} from '../../../../src/domain/credential/verify';
import type { CryptoKeyPairHandle } from '../../../../src/domain/webcrypto';

const U32_MAX = 0xffffffff;
const DAY = 86_400;
const COMMUNITY = 7;
const NOW = 1_772_438_400;
const TOLERANCE = 300;
const KEY_PERIOD = { notBefore: NOW - 365 * DAY, notAfter: NOW + 365 * DAY };
const TYPES = Object.keys(CredentialType) as CredentialTypeName[];

let main: CryptoKeyPairHandle; // every use
let slips: CryptoKeyPairHandle; // release slips only
let mainKid: Uint8Array;
let slipsKid: Uint8Array;
let trust: TrustStore;
let opts: VerifyOptions;

beforeAll(async () => {
  main = await generateSigningKeyPair();
  slips = await generateSigningKeyPair();
  mainKid = await keyIdOf(await exportPublicKey(main.publicKey));
  slipsKid = await keyIdOf(await exportPublicKey(slips.publicKey));
  trust = await createTrustStore({
    format: 'gatepost-keylist/1',
    communityId: COMMUNITY,
    seq: 1,
    issuedAt: NOW,
    keys: [
      await signingKeyEntry(main.publicKey, { ...KEY_PERIOD, uses: TYPES }),
      await signingKeyEntry(slips.publicKey, { ...KEY_PERIOD, uses: ['slip'] }),
    ],
  });
  opts = { trust, now: NOW, clockToleranceS: TOLERANCE };
});

// ---------------------------------------------------------------------------------------------
// Arbitraries

const u32 = fc.integer({ min: 0, max: U32_MAX });
/** not-before < expires, anywhere in the u32 range. */
const anyPeriod = fc
  .tuple(u32, u32)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ notBefore: Math.min(a, b), expires: Math.max(a, b) }));
const windowArb: fc.Arbitrary<CardWindow> = fc.record({
  weekdays: fc.integer({ min: 1, max: 0x7f }),
  startQuarter: fc.integer({ min: 0, max: 96 }),
  endQuarter: fc.integer({ min: 0, max: 96 }),
});
const count = fc.integer({ min: 1, max: 255 });

interface HeaderFields {
  communityId: number;
  keyId: Uint8Array;
  serial: number;
  notBefore: number;
  expires: number;
}

function bodyOf(type: CredentialTypeName, h: HeaderFields): fc.Arbitrary<CredentialBody> {
  switch (type) {
    case 'card':
      return windowArb.map((window) => ({ ...h, type, window }));
    case 'slip':
      return count.map((trips) => ({ ...h, type, trips }));
    case 'invitation':
      return count.map((persons) => ({ ...h, type, persons }));
  }
}

/** Any body the layout can hold, of the given type. */
const anyBody = (type: CredentialTypeName) =>
  fc
    .record({
      communityId: u32,
      keyId: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      serial: u32,
      period: anyPeriod,
    })
    .chain(({ period, ...rest }) => bodyOf(type, { ...rest, ...period }));

/** A body that the fixture's trust store must accept at NOW when signed by `main`. */
const acceptableBody = (type: CredentialTypeName) =>
  fc
    .record({
      serial: u32,
      notBefore: fc.integer({ min: KEY_PERIOD.notBefore, max: NOW + TOLERANCE }),
    })
    .chain(({ serial, notBefore }) =>
      fc
        .integer({ min: Math.max(notBefore + 1, NOW - TOLERANCE + 1), max: U32_MAX })
        .chain((expires) =>
          bodyOf(type, { communityId: COMMUNITY, keyId: mainKid, serial, notBefore, expires }),
        ),
    );

/** Key ids as hex, for readable diffs. */
const comparable = ({ keyId, ...rest }: CredentialBody) => ({ ...rest, keyId: toHex(keyId) });

// ---------------------------------------------------------------------------------------------

describe('body layout', () => {
  it.for(TYPES)('round-trips any %s body through its fixed layout', (type) => {
    fc.assert(
      fc.property(anyBody(type), (body) => {
        const bytes = encodeBody(body);
        expect(bytes.length).toBe(HEADER_LENGTH + (type === 'card' ? 3 : 1));
        expect(bytes[0]).toBe(CREDENTIAL_VERSION);
        expect(bytes[1]).toBe(CredentialType[type]);
        expect(comparable(decodeBody(bytes))).toEqual(comparable(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('is canonical: bytes either fail to parse or are exactly the encoding of what they parse to', () => {
    // Valid encodings with a few bytes overwritten, so that inputs land on both sides of every
    // check (version, type, length, period, ranges), plus plain random bytes.
    const nearBody = fc
      .tuple(
        fc.constantFrom(...TYPES).chain(anyBody),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }),
        fc.integer({ min: -1, max: 1 }),
      )
      .map(([body, writes, resize]) => {
        const bytes = encodeBody(body);
        for (const [at, value] of writes) bytes[at % bytes.length] = value;
        return resize < 0
          ? bytes.slice(0, -1)
          : resize > 0
            ? concatBytes(bytes, Uint8Array.of(0))
            : bytes;
      });
    let parsed = 0;
    fc.assert(
      fc.property(fc.oneof(nearBody, fc.uint8Array({ maxLength: 40 })), (bytes) => {
        let body: CredentialBody;
        try {
          body = decodeBody(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(BodyFormatError);
          return;
        }
        parsed++;
        expect(encodeBody(body)).toEqual(bytes);
      }),
      { numRuns: 5000 },
    );
    expect(parsed).toBeGreaterThan(500);
  });

  it('refuses to encode an empty or inverted validity period', () => {
    fc.assert(
      fc.property(anyBody('slip'), fc.integer({ min: 0, max: 1000 }), (body, back) => {
        const expires = Math.max(0, body.notBefore - back);
        expect(() => encodeBody({ ...body, expires })).toThrow(BodyFormatError);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses fields outside their ranges', () => {
    const slip: CredentialBody = {
      type: 'slip',
      communityId: 1,
      keyId: new Uint8Array(4),
      serial: 1,
      notBefore: 10,
      expires: 20,
      trips: 1,
    };
    const card: CredentialBody = {
      ...slip,
      type: 'card',
      window: { weekdays: 1, startQuarter: 0, endQuarter: 96 },
    };
    for (const bad of [
      { ...slip, trips: 0 },
      { ...slip, trips: 256 },
      { ...slip, serial: -1 },
      { ...slip, serial: U32_MAX + 1 },
      { ...slip, communityId: 1.5 },
      { ...slip, expires: U32_MAX + 1 },
      { ...slip, keyId: new Uint8Array(5) },
      { ...card, window: { ...card.window, weekdays: 0 } },
      { ...card, window: { ...card.window, weekdays: 0x80 } },
      { ...card, window: { ...card.window, endQuarter: 97 } },
    ] as CredentialBody[]) {
      expect(() => encodeBody(bad), JSON.stringify(bad)).toThrow(BodyFormatError);
    }
    expect(() => encodeBody(card)).not.toThrow();
  });
});

describe('issue and verify', () => {
  it.for(TYPES)('an issued %s verifies with the same fields', async (type) => {
    await fc.assert(
      fc.asyncProperty(acceptableBody(type), async (body) => {
        const code = await issueCode(body, main.privateKey);
        expect(code.startsWith(CODE_PREFIX)).toBe(true);
        expect(code.length).toBeLessThanOrEqual(MAX_CODE_LENGTH);
        const result = await verifyCode(code, opts);
        expect(result.reason).toBe('ok');
        if (!result.ok) return;
        expect(comparable(result.credential)).toEqual(comparable(body));
        expect(result.key.kid).toBe(toHex(mainKid));
        // What is signed: ASCII "GP1:" ‖ body, and nothing else.
        const raw = decodeBase45(code.slice(CODE_PREFIX.length));
        const bodyBytes = raw.subarray(0, raw.length - SIGNATURE_LENGTH);
        const sig = raw.subarray(raw.length - SIGNATURE_LENGTH);
        expect(bodyBytes).toEqual(encodeBody(body));
        expect(signedMessage(bodyBytes)).toEqual(
          concatBytes(new TextEncoder().encode('GP1:'), bodyBytes),
        );
        expect(await verifySignature(main.publicKey, sig, signedMessage(bodyBytes))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('judges authentic codes in the documented order: community, use, key period, time', async () => {
    // A model of verify.ts's checks after the signature, over random signer, type, community,
    // validity and device time, with edges (tolerance, key period) made likely by small offsets.
    const edge = (at: number) =>
      fc.oneof(
        fc.integer({ min: at - 2 * TOLERANCE, max: at + 2 * TOLERANCE }),
        fc.integer({ min: at - 400 * DAY, max: at + 400 * DAY }),
      );
    const scenario = fc.record({
      bySlipsKey: fc.boolean(),
      type: fc.constantFrom(...TYPES),
      community: fc.constantFrom(COMMUNITY, COMMUNITY + 1),
      notBefore: fc.oneof(edge(NOW), edge(KEY_PERIOD.notBefore), edge(KEY_PERIOD.notAfter)),
      length: fc.oneof(
        fc.integer({ min: 1, max: 2 * TOLERANCE }),
        fc.integer({ min: 1, max: 400 * DAY }),
      ),
      now: fc.oneof(edge(NOW), fc.integer({ min: NOW - 800 * DAY, max: NOW + 800 * DAY })),
      window: windowArb,
      n: count,
    });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const expires = Math.min(s.notBefore + s.length, U32_MAX);
        const header = {
          communityId: s.community,
          keyId: s.bySlipsKey ? slipsKid : mainKid,
          serial: 1,
          notBefore: s.notBefore,
          expires,
        };
        const body: CredentialBody =
          s.type === 'card'
            ? { ...header, type: s.type, window: s.window }
            : s.type === 'slip'
              ? { ...header, type: s.type, trips: s.n }
              : { ...header, type: s.type, persons: s.n };
        const code = await issueCode(body, (s.bySlipsKey ? slips : main).privateKey);
        const result = await verifyCode(code, { ...opts, now: s.now });
        const expected =
          s.community !== COMMUNITY
            ? 'wrong_community'
            : s.bySlipsKey && s.type !== 'slip'
              ? 'key_not_for_this_use'
              : s.notBefore < KEY_PERIOD.notBefore || s.notBefore > KEY_PERIOD.notAfter
                ? 'unknown_key'
                : s.now + TOLERANCE < s.notBefore
                  ? 'not_yet_valid'
                  : s.now - TOLERANCE >= expires
                    ? 'expired'
                    : 'ok';
        seen.add(expected);
        expect(result.reason).toBe(expected);
        // Authentic refusals still carry the fields, so the kiosk can say e.g. when it expired.
        expect(comparable(result.credential!)).toEqual(comparable(body));
      }),
      { numRuns: 600 },
    );
    expect([...seen].sort()).toEqual([
      'expired',
      'key_not_for_this_use',
      'not_yet_valid',
      'ok',
      'unknown_key',
      'wrong_community',
    ]);
  });
});

describe('forgery', () => {
  it('refuses every single-bit flip, truncation, extension and character mutation of real codes', async () => {
    const codes: string[] = [];
    for (const type of TYPES) {
      codes.push(
        ...(await Promise.all(
          fc
            .sample(acceptableBody(type), { numRuns: 3, seed: 4711 })
            .map((b) => issueCode(b, main.privateKey)),
        )),
      );
    }
    for (const code of codes) expect((await verifyCode(code, opts)).ok).toBe(true);

    let attempts = 0;
    const refuse = async (text: string, reason?: string) => {
      attempts++;
      const result = await verifyCode(text, opts);
      expect(result.ok, text).toBe(false);
      if (reason) expect(result.reason, text).toBe(reason);
    };

    for (const code of codes) {
      const raw = decodeBase45(code.slice(CODE_PREFIX.length));
      const signatureStart = raw.length - SIGNATURE_LENGTH;

      // Every bit of body ‖ signature, exhaustively. A flip in the signature must fail exactly at
      // the signature check; a flip in the body may fail earlier (layout, key id).
      for (let bit = 0; bit < raw.length * 8; bit++) {
        const flipped = raw.slice();
        flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
        const inSignature = bit >> 3 >= signatureStart;
        await refuse(
          CODE_PREFIX + encodeBase45(flipped),
          inSignature ? 'bad_signature' : undefined,
        );
      }

      // Every shorter byte string, and every proper prefix of the text.
      for (let n = 0; n < raw.length; n++)
        await refuse(CODE_PREFIX + encodeBase45(raw.slice(0, n)));
      for (let n = 0; n < code.length; n++) await refuse(code.slice(0, n));

      // Appended bytes (re-encoded) and appended characters.
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 16 }), async (extra) => {
          await refuse(CODE_PREFIX + encodeBase45(concatBytes(raw, extra)));
        }),
        { numRuns: 50 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), minLength: 1, maxLength: 6 }),
          async (extra) => {
            await refuse(code + extra);
          },
        ),
        { numRuns: 50 },
      );
    }

    // Character-level mutations of the text: substitute, insert, delete, swap neighbours.
    const char = fc.constantFrom(...BASE45_ALPHABET, 'a', '#', '\n', 'é');
    const mutation = fc.record({
      code: fc.constantFrom(...codes),
      kind: fc.constantFrom('substitute', 'insert', 'delete', 'swap'),
      at: fc.nat(),
      c: char,
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ code, kind, at, c }) => {
        const i = at % code.length;
        let text: string;
        switch (kind) {
          case 'substitute':
            text = code.slice(0, i) + c + code.slice(i + 1);
            break;
          case 'insert':
            text = code.slice(0, i) + c + code.slice(i);
            break;
          case 'delete':
            text = code.slice(0, i) + code.slice(i + 1);
            break;
          case 'swap':
            text =
              code.slice(0, i) +
              code.slice(i + 1, i + 2) +
              code.slice(i, i + 1) +
              code.slice(i + 2);
            break;
        }
        fc.pre(text !== code); // substituting a character by itself or swapping equal ones
        await refuse(text);
      }),
      { numRuns: 3000 },
    );

    expect(attempts).toBeGreaterThanOrEqual(10_000);
  }, 120_000);
});

describe('random input', () => {
  it('100,000 random inputs neither throw nor verify', async () => {
    // The mix, and why it is sized so: the first three classes are refused before any
    // cryptography (prefix, Base45, body layout or an unknown key id), so they are cheap and
    // make up almost all of it; the structured class is built to reach the ECDSA verify
    // (valid body, trusted key id, random signature) and costs ~0.13 ms each, so 2,000 of them
    // add a fraction of a second while proving the signature stage refuses random signatures.
    const counts = { arbitrary: 0, base45Text: 0, base45Bytes: 0, structured: 0 };
    const sizes = { arbitrary: 45_000, base45Text: 30_000, base45Bytes: 23_000, structured: 2_000 };

    const check = async (text: string) => {
      const result = await verifyCode(text, opts);
      expect(result.ok, text).toBe(false);
      expect(VERIFY_REASONS).toContain(result.reason);
      return result;
    };

    const arbitrary = fc
      .tuple(
        fc.constantFrom('', '', '', 'GP1:', 'GP2:', 'gp1:', 'HC1:', 'GP1'),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 160 }),
          fc.string({ unit: 'binary-ascii', maxLength: 160 }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 160 }),
        ),
      )
      .map(([prefix, rest]) => prefix + rest);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (text) => {
        counts.arbitrary++;
        await check(text);
      }),
      { numRuns: sizes.arbitrary },
    );

    const base45Text = fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), maxLength: 140 });
    await fc.assert(
      fc.asyncProperty(base45Text, async (text) => {
        counts.base45Text++;
        await check(CODE_PREFIX + text);
      }),
      { numRuns: sizes.base45Text },
    );

    // Around the real lengths (86 to 89 bytes) as well as anywhere below.
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 100 }),
      fc.uint8Array({ minLength: 86, maxLength: 89 }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        counts.base45Bytes++;
        await check(CODE_PREFIX + encodeBase45(b));
      }),
      { numRuns: sizes.base45Bytes },
    );

    const structured = fc
      .constantFrom(...TYPES)
      .chain(acceptableBody)
      .chain((body) =>
        fc
          .uint8Array({ minLength: SIGNATURE_LENGTH, maxLength: SIGNATURE_LENGTH })
          .map((sig) => CODE_PREFIX + encodeBase45(concatBytes(encodeBody(body), sig))),
      );
    await fc.assert(
      fc.asyncProperty(structured, async (text) => {
        counts.structured++;
        expect((await check(text)).reason).toBe('bad_signature');
      }),
      { numRuns: sizes.structured },
    );

    expect(counts).toEqual(sizes);
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(100_000);
  }, 120_000);
});
