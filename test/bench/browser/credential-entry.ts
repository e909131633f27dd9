/**
 * The browser half of the credential benchmark: the same domain modules the kiosk ships, run in
 * a Chromium page. Mirrors the Node half's protocol (warm-up, then interleaved timed runs).
 */
import type { SignedKeyList } from '../../../src/domain/credential/key-list';
import { createTrustStore, verifyKeyList } from '../../../src/domain/credential/key-list';
import { verifyCode } from '../../../src/domain/credential/verify';

interface Args {
  codes: string[];
  signedKeyList: SignedKeyList;
  rootPublicKey: number[];
  communityId: number;
  now: number;
  runs: number;
  runMs: number;
}

export async function run(args: Args): Promise<{ runs: number[]; raw: number[] }> {
  const list = await verifyKeyList(args.signedKeyList, Uint8Array.from(args.rootPublicKey), {
    communityId: args.communityId,
  });
  if (!list.ok) throw new Error(list.message);
  const opts = { trust: await createTrustStore(list.list), now: args.now, clockToleranceS: 120 };
  const pipeline = async (ms: number) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      const r = await verifyCode(args.codes[n % args.codes.length]!, opts);
      if (!r.ok) throw new Error(r.reason);
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const alg = { name: 'ECDSA', hash: 'SHA-256' };
  const kp = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const data = new Uint8Array(29);
  const sig = await crypto.subtle.sign(alg, kp.privateKey, data);
  const raw = async (ms: number) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      await crypto.subtle.verify(alg, kp.publicKey, sig, data);
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  await pipeline(args.runMs);
  const runs: number[] = [];
  const raws: number[] = [];
  for (let i = 0; i < args.runs; i++) {
    runs.push(await pipeline(args.runMs));
    raws.push(await raw(args.runMs / 2));
  }
  return { runs, raw: raws };
}
