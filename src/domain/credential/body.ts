/**
 * The `GP1:` credential body: a fixed binary layout, version byte first, big-endian integers,
 * times in seconds since the Unix epoch. Specified with its rationale in docs/credential-format.md;
 * the offsets below are that document's table and must change only with a new version byte.
 *
 *   off  size  field
 *   0    1     version (1)
 *   1    1     type: 1 access card, 2 release slip, 3 visitor invitation
 *   2    4     community number
 *   6    4     key id (first 4 bytes of SHA-256 of the signing key's raw public key)
 *   10   4     serial (per community and type)
 *   14   4     not before (s)
 *   18   4     expires (s), strictly after not before
 *   22   …     per type: card 3 bytes (weekday mask, start and end quarter-hour),
 *              slip 1 byte (trips), invitation 1 byte (persons)
 *
 * No personal data: names, photos and items come from the kiosk's synced copy by serial.
 */

import { cardWindowProblems } from '../rules/time-window';

export const CREDENTIAL_VERSION = 1;
export const HEADER_LENGTH = 22;

export const CredentialType = { card: 1, slip: 2, invitation: 3 } as const;
export type CredentialTypeName = keyof typeof CredentialType;
const TYPE_NAMES = new Map<number, CredentialTypeName>(
  Object.entries(CredentialType).map(([name, code]) => [code, name as CredentialTypeName]),
);

interface Header {
  communityId: number;
  keyId: Uint8Array;
  serial: number;
  notBefore: number;
  expires: number;
}

/** Allowed days and hours printed into a card, so that even a card unknown to the kiosk is judged. */
export interface CardWindow {
  /** Bit 0 = Monday … bit 6 = Sunday (ISO weekday − 1). */
  weekdays: number;
  /** Quarter-hours since local midnight, 0…96. end < start means the window crosses midnight. */
  startQuarter: number;
  endQuarter: number;
}

export type CredentialBody =
  | (Header & { type: 'card'; window: CardWindow })
  | (Header & { type: 'slip'; trips: number })
  | (Header & { type: 'invitation'; persons: number });

const EXTENSION_LENGTH: Record<CredentialTypeName, number> = { card: 3, slip: 1, invitation: 1 };

export const MAX_BODY_LENGTH = HEADER_LENGTH + Math.max(...Object.values(EXTENSION_LENGTH));

export class BodyFormatError extends Error {
  override name = 'BodyFormatError';
}

const U32_MAX = 0xffffffff;

function checkU32(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw new BodyFormatError(`${name} must be an integer from 0 to ${U32_MAX}, got ${v}`);
  }
}

function checkByte(name: string, v: number, max = 255, min = 0): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new BodyFormatError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  }
}

function checkWindow(w: CardWindow): void {
  const problems = cardWindowProblems(w);
  if (problems.length > 0)
    throw new BodyFormatError(`window.${problems.join(', window.')} out of range`);
}

export function encodeBody(body: CredentialBody): Uint8Array {
  checkU32('communityId', body.communityId);
  checkU32('serial', body.serial);
  checkU32('notBefore', body.notBefore);
  checkU32('expires', body.expires);
  if (body.expires <= body.notBefore) throw new BodyFormatError('expires must be after notBefore');
  if (body.keyId.length !== 4) throw new BodyFormatError('keyId must be 4 bytes');
  const out = new Uint8Array(HEADER_LENGTH + EXTENSION_LENGTH[body.type]);
  const view = new DataView(out.buffer);
  out[0] = CREDENTIAL_VERSION;
  out[1] = CredentialType[body.type];
  view.setUint32(2, body.communityId);
  out.set(body.keyId, 6);
  view.setUint32(10, body.serial);
  view.setUint32(14, body.notBefore);
  view.setUint32(18, body.expires);
  switch (body.type) {
    case 'card':
      checkWindow(body.window);
      out[22] = body.window.weekdays;
      out[23] = body.window.startQuarter;
      out[24] = body.window.endQuarter;
      break;
    case 'slip':
      checkByte('trips', body.trips, 255, 1);
      out[22] = body.trips;
      break;
    case 'invitation':
      checkByte('persons', body.persons, 255, 1);
      out[22] = body.persons;
      break;
  }
  return out;
}

/**
 * Strict parse: the exact length for the type, a known version and type, nbf < exp, and every
 * per-type field in range. Throws BodyFormatError; parsing is structure only, nothing here is
 * trusted until the signature over these bytes has been verified.
 */
export function decodeBody(bytes: Uint8Array): CredentialBody {
  if (bytes.length < HEADER_LENGTH) throw new BodyFormatError('body too short');
  if (bytes[0] !== CREDENTIAL_VERSION) throw new BodyFormatError(`unknown version ${bytes[0]}`);
  const type = TYPE_NAMES.get(bytes[1]!);
  if (!type) throw new BodyFormatError(`unknown type ${bytes[1]}`);
  if (bytes.length !== HEADER_LENGTH + EXTENSION_LENGTH[type]) {
    throw new BodyFormatError(`a ${type} body is ${HEADER_LENGTH + EXTENSION_LENGTH[type]} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: Header = {
    communityId: view.getUint32(2),
    keyId: bytes.slice(6, 10),
    serial: view.getUint32(10),
    notBefore: view.getUint32(14),
    expires: view.getUint32(18),
  };
  if (header.expires <= header.notBefore) throw new BodyFormatError('expires before notBefore');
  switch (type) {
    case 'card': {
      const window = { weekdays: bytes[22]!, startQuarter: bytes[23]!, endQuarter: bytes[24]! };
      checkWindow(window);
      return { ...header, type, window };
    }
    case 'slip':
      checkByte('trips', bytes[22]!, 255, 1);
      return { ...header, type, trips: bytes[22]! };
    case 'invitation':
      checkByte('persons', bytes[22]!, 255, 1);
      return { ...header, type, persons: bytes[22]! };
  }
}
