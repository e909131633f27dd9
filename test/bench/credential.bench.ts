/**
 * Credential benchmarks (foundation issue): verification throughput on the whole path (text →
 * Base45 → parse → key lookup → signature), in Node and in Chromium, one thread, sequential;
 * and the size of the codes in characters and QR versions.
 *
 * Each figure is the median of timed runs after a warm-up. The raw WebCrypto verify rate is
 * measured in the same interleaved runs, so the report shows what the pipeline adds on top of
 * the signature check itself, whatever the machine's speed that minute.
 */
import QRCode from 'qrcode';
import { verifyCode } from '../../src/domain/credential/verify';
import { createTrustStore, type TrustStore } from '../../src/domain/credential/key-list';
import { nodeSignatureCheck } from '../../src/server/crypto/node-signature';
import { createTestCommunity } from '../fixtures/community-keys';
import { runInChromium } from './browser-page';
import { median, type Metrics } from './report';
import type { BenchSuite } from './run';

const NOW = 1_750_000_000;
const CODES = 1000;
const RUNS = 7;
const RUN_MS = 1000;

async function makeCodes() {
  const community = await createTestCommunity(42);
  const codes: string[] = [];
  for (let serial = 1; serial <= CODES; serial++) {
    codes.push(
      await community.issue({
        type: 'card',
        serial,
        notBefore: NOW - 86_400,
        expires: NOW + 90 * 86_400,
        window: { weekdays: 0x7f, startQuarter: 24, endQuarter: 80 },
      }),
    );
  }
  return { community, codes };
}

async function rawVerifyRate(ms: number): Promise<number> {
  const alg = { name: 'ECDSA', hash: 'SHA-256' };
  const kp = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const data = new Uint8Array(29);
  const sig = await crypto.subtle.sign(alg, kp.privateKey, data);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await crypto.subtle.verify(alg, kp.publicKey, sig, data);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function nodeVerify(): Promise<Metrics> {
  const { community, codes } = await makeCodes();
  const list = {
    format: 'gatepost-keylist/1' as const,
    communityId: community.communityId,
    seq: 1,
    issuedAt: 0,
    keys: community.entries,
  };
  const stores = {
    node: await createTrustStore(list, nodeSignatureCheck),
    webcrypto: await createTrustStore(list),
  };
  const pipeline = async (trust: TrustStore, ms: number) => {
    const opts = { trust, now: NOW, clockToleranceS: 120 };
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      const r = await verifyCode(codes[n % CODES]!, opts);
      if (!r.ok) throw new Error(`bench code did not verify: ${r.reason}`);
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  // Warm-up: JIT and the thread pool.
  await pipeline(stores.node, RUN_MS);
  await pipeline(stores.webcrypto, RUN_MS);
  const node: number[] = [];
  const web: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(Math.round(await pipeline(stores.node, RUN_MS)));
    web.push(Math.round(await pipeline(stores.webcrypto, RUN_MS)));
    raw.push(Math.round(await rawVerifyRate(RUN_MS / 2)));
  }
  const [nodeMedian, webMedian, rawMedian] = [node, web, raw].map((r) => Math.round(median(r))) as [
    number,
    number,
    number,
  ];
  return {
    'credential.verify_per_s.node': {
      value: nodeMedian,
      unit: 'verifications/s',
      runs: node,
      target: { value: 10_000, direction: 'min' },
      note: `whole path as the server runs it (signature by node:crypto), ${CODES} distinct card codes, one thread`,
    },
    'credential.verify_per_s.node_webcrypto': {
      value: webMedian,
      unit: 'verifications/s',
      runs: web,
      note: `whole path with WebCrypto in Node (the kiosk's code, unchanged); ${((webMedian / rawMedian) * 100).toFixed(0)}% of a bare crypto.subtle.verify loop in the same runs`,
    },
    'credential.webcrypto_verify_per_s.node': {
      value: rawMedian,
      unit: 'verifications/s',
      runs: raw,
      note: 'crypto.subtle.verify alone (ES256), interleaved with the runs above: the ceiling of any WebCrypto path in Node',
    },
  };
}

async function chromiumVerify(): Promise<Metrics> {
  const { community, codes } = await makeCodes();
  const result = await runInChromium<unknown, { runs: number[]; raw: number[] }>(
    'test/bench/browser/credential-entry.ts',
    {
      codes,
      signedKeyList: community.signedKeyList,
      rootPublicKey: Array.from(community.rootPublicKey),
      communityId: community.communityId,
      now: NOW,
      runs: RUNS,
      runMs: RUN_MS,
    },
  );
  const value = Math.round(median(result.runs));
  const raw = Math.round(median(result.raw));
  return {
    'credential.verify_per_s.chromium': {
      value,
      unit: 'verifications/s',
      runs: result.runs.map(Math.round),
      note: `whole path in a Chromium page, one thread; raw WebCrypto verify in the same runs: ${raw}/s (pipeline = ${((value / raw) * 100).toFixed(0)}% of raw)`,
    },
  };
}

async function sizes(): Promise<Metrics> {
  const { community } = await makeCodes();
  const card = await community.issue({
    type: 'card',
    serial: 0xffffffff,
    notBefore: NOW,
    expires: NOW + 90 * 86_400,
    window: { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 },
  });
  const slip = await community.issue({
    type: 'slip',
    serial: 0xffffffff,
    notBefore: NOW,
    expires: NOW + 3 * 86_400,
    trips: 1,
  });
  const version = (text: string, ecl: 'M' | 'Q') =>
    QRCode.create(text, { errorCorrectionLevel: ecl }).version;
  return {
    'credential.chars.card': { value: card.length, unit: 'characters', note: '`GP1:` + Base45' },
    'credential.qr_version.card_q': {
      value: version(card, 'Q'),
      unit: 'QR version',
      target: { value: 8, direction: 'max' },
      note: 'printed card, ECC level Q',
    },
    'credential.qr_version.card_m': {
      value: version(card, 'M'),
      unit: 'QR version',
      note: 'on a screen, ECC level M',
    },
    'credential.qr_version.slip_q': {
      value: version(slip, 'Q'),
      unit: 'QR version',
      note: 'printed slip, ECC level Q',
    },
  };
}

export const credentialBench: BenchSuite = {
  name: 'credential',
  async run() {
    return { ...(await sizes()), ...(await nodeVerify()), ...(await chromiumVerify()) };
  },
};
