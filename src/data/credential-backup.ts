/**
 * A copy of the device credential outside IndexedDB (localStorage). When the kiosk's database is
 * lost (corrupted, cleared) but this survives, the kiosk comes back as the same device with a new
 * installation, and the server tells the office what the old installation never delivered.
 */
import type { DeviceCredential } from './db';

const KEY = 'gatepost.device';

export function backUpCredential(c: DeviceCredential): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(c));
  } catch {
    // Without storage the copy is simply not there; IndexedDB still holds the credential.
  }
}

export function backedUpCredential(): DeviceCredential | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const c = JSON.parse(raw) as Partial<DeviceCredential>;
    return typeof c.token === 'string' && typeof c.rootPublicKey === 'string'
      ? (c as DeviceCredential)
      : null;
  } catch {
    return null;
  }
}
