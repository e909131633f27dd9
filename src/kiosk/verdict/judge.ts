/**
 * From a decoded text (or a serial found by hand) to what the gate screen shows. One dispatcher
 * routes a Gatepost code by its credential type, so release slips and visitor invitations plug in
 * here when their features come; until then they get a neutral "not handled here" verdict.
 *
 * The kiosk's state (trusted keys, last pull, trusted time, the community's settings) is read from
 * memory (store.ts signals); only the card's own rows are read from IndexedDB, in one transaction.
 */
import type { CredentialTypeName } from '../../domain/credential/body';
import {
  createTrustStore,
  acceptedKeyListPayload,
  type TrustStore,
} from '../../domain/credential/trust-store';
import { verifyCode, type VerifyResult } from '../../domain/credential/verify';
import { judgeCard, judgeCardByHand, type CardVerdict } from '../../domain/verdict/card';
import { freshness } from '../../domain/verdict/freshness';
import { readCardLookup } from '../../data/gate-copy';
import { parseEnrollmentText } from '../../data/enrollment';
import { db, meta, thresholds } from '../store';

/** Clock difference accepted at the edges of a validity period and against the trusted time, s. */
export const CLOCK_TOLERANCE_S = 300;

/** A verdict as the gate screen shows it. */
export interface GateVerdict extends CardVerdict {
  /** The type of the code shown; null when it was not a Gatepost code. */
  credentialType: CredentialTypeName | null;
  manual: boolean;
  /** When it was judged, device ms. */
  judgedAt: number;
  /** The card's households as the kiosk holds them (for the employer's address). */
  households: Array<{ id: string; building: string; unit: string; room: string }>;
}

export type ScanOutcome =
  | { kind: 'verdict'; verdict: GateVerdict }
  /** An enrollment QR held up at the gate screen: not a credential. */
  | { kind: 'enrollment' }
  /** No trusted key list, settings or complete pull yet: nothing can be judged. */
  | { kind: 'not_ready' }
  /** A release slip: checked item by item on its own screen (slips/slip-session.ts). */
  | { kind: 'slip'; verify: VerifyResult };

interface GateEnv {
  trust: TrustStore;
  nowMs: number;
  ctx: Parameters<typeof judgeCard>[2];
}

let trustCache: { payload: string; store: Promise<TrustStore> } | null = null;

function trustFor(payload: string): Promise<TrustStore> {
  if (trustCache?.payload !== payload) {
    trustCache = { payload, store: createTrustStore(acceptedKeyListPayload(payload)) };
  }
  return trustCache.store;
}

/** The kiosk's judging context now, or null while it cannot judge. */
async function gateEnv(): Promise<GateEnv | null> {
  const m = meta.value;
  const keyList = m?.trustedKeyList;
  const settings = thresholds.value;
  if (!keyList || m.lastPullAt === undefined || !settings) return null;
  const nowMs = Date.now();
  const now = Math.floor(nowMs / 1000);
  return {
    trust: await trustFor(keyList.payload),
    nowMs,
    ctx: {
      now,
      timeZone: settings.timeZone,
      freshness: freshness({
        now,
        trustedNow: Math.floor((m.trustedNow ?? 0) / 1000),
        lastPullAt: Math.floor(m.lastPullAt / 1000),
        staleAmberHours: settings.staleAmberHours,
        staleDenyHours: settings.staleDenyHours,
        clockToleranceS: CLOCK_TOLERANCE_S,
      }),
    },
  };
}

type Verified = VerifyResult & { credential: NonNullable<VerifyResult['credential']> };
interface Judged {
  judged: CardVerdict;
  households: GateVerdict['households'];
}
type CredentialHandler = (v: Verified, env: GateEnv) => Promise<Judged>;

async function judgeScannedCard(v: Verified, env: GateEnv): Promise<Judged> {
  const lookup = await readCardLookup(db, v.credential.serial);
  return { judged: judgeCard(v, lookup, env.ctx), households: lookup.households };
}

/** Invitations (#7) are judged by their own screen; here they are only named. */
const notHandledHere: CredentialHandler = async (v, env) => ({
  judged: {
    verdict: 'check',
    reason: 'not_a_card',
    confirmation: 'reason',
    serial: v.credential.serial,
    card: null,
    freshness: env.ctx.freshness,
  },
  households: [],
});

const HANDLERS: Record<Exclude<CredentialTypeName, 'slip'>, CredentialHandler> = {
  card: judgeScannedCard,
  invitation: notHandledHere,
};

const NO_LOOKUP = { card: undefined, revocation: undefined, households: [], keyHouseholds: [] };

/** A decoded text verified against the kiosk's trusted keys now; null while it cannot judge. */
export async function verifyText(text: string): Promise<VerifyResult | null> {
  const env = await gateEnv();
  if (!env) return null;
  return verifyCode(text, {
    trust: env.trust,
    now: env.ctx.now,
    clockToleranceS: CLOCK_TOLERANCE_S,
  });
}

export async function judgeText(text: string): Promise<ScanOutcome> {
  if (parseEnrollmentText(text) && /^https?:\/\//i.test(text.trim())) return { kind: 'enrollment' };
  const env = await gateEnv();
  if (!env) return { kind: 'not_ready' };
  const v = await verifyCode(text, {
    trust: env.trust,
    now: env.ctx.now,
    clockToleranceS: CLOCK_TOLERANCE_S,
  });
  const type = v.credential?.type;
  if (type === 'slip') return { kind: 'slip', verify: v };
  const { judged, households } = type
    ? await HANDLERS[type](v as Verified, env)
    : { judged: judgeCard(v, NO_LOOKUP, env.ctx), households: [] };
  return {
    kind: 'verdict',
    verdict: {
      ...judged,
      credentialType: v.credential?.type ?? null,
      manual: false,
      judgedAt: env.nowMs,
      households,
    },
  };
}

/** A card looked up by hand (serial typed, or the holder found by name or phone). */
export async function judgeSerial(serial: number): Promise<ScanOutcome> {
  const env = await gateEnv();
  if (!env) return { kind: 'not_ready' };
  const lookup = await readCardLookup(db, serial);
  const judged = judgeCardByHand(serial, lookup, env.ctx);
  return {
    kind: 'verdict',
    verdict: {
      ...judged,
      credentialType: 'card',
      manual: true,
      judgedAt: env.nowMs,
      households: lookup.households,
    },
  };
}
