/**
 * Who is on duty at this gate: the shift started with a guard's PIN (data/shifts.ts), kept current
 * by a live query on the shift register (store.ts), so a reload or another tab sees the same guard.
 * Everything the kiosk records reads the guard from here; with no shift running a record says
 * `guardId: null`, and the shift bar says so on every screen.
 */
import { signal } from '@preact/signals';
import type { Shift } from '../data/shifts';

export const guardOnDuty = signal<Shift | null>(null);

export function guardIdOnDuty(): string | null {
  return guardOnDuty.value?.guardId ?? null;
}
