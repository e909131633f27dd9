/**
 * Acting as the office for the gate's end-to-end tests and benchmarks, against a real server
 * process: a community of the test's own (its settings, keys and data), enrollment links, rows
 * written the way the server's own writers write them (SyncWriter), codes issued with the
 * community's signing key (`signerFor` + `issueCode`), and the gate events the server stored.
 * The office's card screens belong to another issue; these helpers write what they would.
 */
import { fromBase64Url } from '../../../src/domain/bytes';
import { issueCode } from '../../../src/domain/credential/code';
import { generateSigningKeyPair } from '../../../src/domain/credential/es256';
import { matchHash } from '../../../src/domain/match-hash';
import type { CardWindow } from '../../../src/domain/credential/body';
import type { CommunitySettings } from '../../../src/domain/community';
import type { PassagePayload } from '../../../src/domain/events';
import type { SyncedRow } from '../../../src/domain/sync/tables';
import { loadMasterKey } from '../../../src/server/crypto/secrets';
import { publishGuards, type GuardInput } from '../../../src/server/store/guards';
import { signerFor } from '../../../src/server/store/keys';
import { openStore, type Store } from '../../../src/server/store/open';
import { storePhoto } from '../../../src/server/store/photos';
import { SyncWriter } from '../../../src/server/store/sync-rows';
import type { ServerHandle } from './server';

export const GATE_ADMIN = { username: 'gate-admin', password: 'correct horse battery staple' };
export const GATE_ADMIN_ENV = {
  GATEPOST_BOOTSTRAP_ADMIN: `${GATE_ADMIN.username}:${GATE_ADMIN.password}`,
};

export const ALL_DAY: CardWindow = { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 };

export interface CardSpec {
  serial: number;
  holderName?: string;
  householdIds?: string[];
  photoHash?: string | null;
  /** Seconds. */
  validFrom: number;
  validUntil: number;
  window?: CardWindow;
  status?: SyncedRow<'card'>['status'];
  /** The holder's mobile number (11 digits): the card carries its keyed hash, never the number. */
  phone?: string;
}

export class GateOffice {
  private cookie = '';
  private opened: Store | null = null;

  constructor(readonly server: ServerHandle) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${this.server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(GATE_ADMIN),
    });
    if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
    this.cookie = /gp_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  }

  private async api<T>(method: string, path: string, json?: unknown): Promise<T> {
    const res = await fetch(`${this.server.url}/api${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async createCommunity(name: string, settings: Partial<CommunitySettings> = {}): Promise<number> {
    const c = await this.api<{ id: number }>('POST', '/communities', { name, settings });
    return c.id;
  }

  /** The enrollment URL a kiosk opens (what the office's QR holds). */
  async enrollmentUrl(communityId: number, name = '东门'): Promise<string> {
    const e = await this.api<{ url: string }>(
      'POST',
      `/communities/${communityId}/devices/enrollments`,
      { name },
    );
    return e.url;
  }

  /** The server's own database, opened beside the running server (SQLite in WAL mode). */
  async store(): Promise<Store> {
    this.opened ??= await openStore({ dataDir: this.server.dataDir });
    return this.opened;
  }

  async write(communityId: number, fn: (w: SyncWriter, s: Store) => Promise<void>): Promise<void> {
    const s = await this.store();
    await s.db
      .transaction()
      .execute((trx) => fn(new SyncWriter(trx, communityId, Date.now()), { ...s, db: trx }));
  }

  /** A card's code, signed with the community's signing key (times in seconds). */
  async issueCard(
    communityId: number,
    card: { serial: number; notBefore: number; expires: number; window?: CardWindow },
  ): Promise<string> {
    const s = await this.store();
    const signer = await signerFor(
      s.db,
      loadMasterKey(this.server.dataDir),
      communityId,
      'card',
      card.notBefore * 1000,
    );
    return issueCode(
      {
        type: 'card',
        communityId,
        keyId: signer.keyId,
        serial: card.serial,
        notBefore: card.notBefore,
        expires: card.expires,
        window: card.window ?? ALL_DAY,
      },
      signer.privateKey,
    );
  }

  /**
   * A code that looks like this community's (its number, its signing key's id) but is signed by
   * another key: what a forger with a copy of a real card and no key can make.
   */
  async forgeCard(
    communityId: number,
    card: { serial: number; notBefore: number; expires: number },
  ): Promise<string> {
    const s = await this.store();
    const real = await signerFor(
      s.db,
      loadMasterKey(this.server.dataDir),
      communityId,
      'card',
      card.notBefore * 1000,
    );
    const forger = await generateSigningKeyPair();
    return issueCode(
      { type: 'card', communityId, keyId: real.keyId, ...card, window: ALL_DAY },
      forger.privateKey,
    );
  }

  /** The community's match key, as its kiosks receive it in the settings row. */
  async matchKey(communityId: number): Promise<Uint8Array> {
    const s = await this.store();
    const row = await s.db
      .selectFrom('sync_row')
      .select('data')
      .where('community_id', '=', communityId)
      .where('tbl', '=', 'settings')
      .executeTakeFirstOrThrow();
    return fromBase64Url((JSON.parse(row.data!) as SyncedRow<'settings'>).matchKey);
  }

  /** Puts the card on the feed and returns its code. */
  async card(communityId: number, spec: CardSpec): Promise<string> {
    const phoneMatch = spec.phone
      ? await matchHash(await this.matchKey(communityId), 'phone', spec.phone)
      : undefined;
    const row: SyncedRow<'card'> = {
      serial: spec.serial,
      holderName: spec.holderName ?? `持卡人${spec.serial}`,
      role: 'nanny',
      roleLabel: '',
      householdIds: spec.householdIds ?? [],
      photoHash: spec.photoHash ?? null,
      validFrom: spec.validFrom,
      validUntil: spec.validUntil,
      window: spec.window ?? ALL_DAY,
      status: spec.status ?? 'active',
      statusReason: '',
      statusAt: null,
      idMasked: '110***********123X',
      ...(phoneMatch ? { phoneMatch } : {}),
    };
    await this.write(communityId, (w) => w.put('card', [{ id: String(spec.serial), data: row }]));
    return this.issueCard(communityId, {
      serial: spec.serial,
      notBefore: spec.validFrom,
      expires: spec.validUntil,
      window: row.window,
    });
  }

  async keyHousehold(
    communityId: number,
    householdId: string,
    data: Partial<SyncedRow<'keyHousehold'>>,
  ) {
    await this.write(communityId, (w) =>
      w.put('keyHousehold', [
        { id: householdId, data: { householdId, instructions: [], note: '', ...data } },
      ]),
    );
  }

  async household(communityId: number, id: string, data: Partial<SyncedRow<'household'>> = {}) {
    await this.write(communityId, (w) =>
      w.put('household', [
        {
          id,
          data: {
            building: '3',
            unit: '2',
            room: '1201',
            occupancy: 'owner',
            movedOut: false,
            surnames: [],
            ...data,
          },
        },
      ]),
    );
  }

  async revoke(
    communityId: number,
    serial: number,
    reason: SyncedRow<'revocation'>['reason'],
    note = '',
  ) {
    await this.write(communityId, (w) =>
      w.put('revocation', [
        {
          id: `card:${serial}`,
          data: { type: 'card', serial, revokedAt: Math.floor(Date.now() / 1000), reason, note },
        },
      ]),
    );
  }

  async photo(communityId: number, jpeg: Uint8Array): Promise<string> {
    const s = await this.store();
    return storePhoto(s.db, Date.now(), communityId, jpeg, 'image/jpeg');
  }

  async guards(communityId: number, guards: GuardInput[]) {
    await this.write(communityId, (w) => publishGuards(w, guards));
  }

  /** The passage events the server stored for the community, in the order received. */
  async passages(communityId: number) {
    const s = await this.store();
    const rows = await s.db
      .selectFrom('event')
      .select(['id', 'payload'])
      .where('community_id', '=', communityId)
      .where('type', '=', 'passage')
      .execute();
    return rows.map((r) => ({ id: r.id, ...(JSON.parse(r.payload) as PassagePayload) }));
  }

  /** Events the server refused (the dead letter), for any community. */
  async deadLetters(): Promise<number> {
    const s = await this.store();
    const rows = await s.db.selectFrom('dead_letter').select('id').execute();
    return rows.length;
  }

  async close(): Promise<void> {
    await this.opened?.close();
    this.opened = null;
  }
}
