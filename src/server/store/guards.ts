/**
 * Guards and supervisors as the gates receive them (the `guard` sync row): a name, a role and the
 * PIN's PBKDF2 hash with its own salt, never the PIN. The office's screens and shifts come with
 * guard shifts; this is the one writer they and the tests use.
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../domain/bytes';
import { hashPin, PIN_ITERATIONS, PIN_PATTERN } from '../../domain/pin';
import type { GuardRole, SyncedRow } from '../../domain/sync/tables';
import type { SyncWriter } from './sync-rows';

export interface GuardInput {
  id: string;
  name: string;
  role: GuardRole;
  pin: string;
  active?: boolean;
}

export async function guardRow(
  g: GuardInput,
  iterations = PIN_ITERATIONS,
): Promise<SyncedRow<'guard'>> {
  if (!PIN_PATTERN.test(g.pin)) throw new RangeError('a PIN is 4 to 6 digits');
  const salt = new Uint8Array(randomBytes(16));
  return {
    name: g.name,
    role: g.role,
    pinHash: await hashPin(g.pin, salt, iterations),
    pinSalt: toBase64Url(salt),
    pinIterations: iterations,
    active: g.active ?? true,
  };
}

/** Publishes guards to the gates, in the writer's transaction. */
export async function publishGuards(writer: SyncWriter, guards: readonly GuardInput[]) {
  const rows = await Promise.all(guards.map(async (g) => ({ id: g.id, data: await guardRow(g) })));
  await writer.put('guard', rows);
}
