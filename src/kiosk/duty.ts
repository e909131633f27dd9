/**
 * Who is on duty at this gate. Guard shifts (PIN sign-in) come in a later issue; until then nobody
 * is signed in and every record says `guardId: null`. Everything the kiosk records reads the
 * guard from here, so shifts only have to fill this one signal.
 */
import { signal } from '@preact/signals';

export const guardOnDuty = signal<{ id: string; name: string } | null>(null);

export function guardIdOnDuty(): string | null {
  return guardOnDuty.value?.id ?? null;
}
