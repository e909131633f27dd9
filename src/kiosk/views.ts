/**
 * Which of the guard's screens is shown under the bar: duty (scan, notes), outings, incident, and
 * the shift (start, end, handover).
 */
import { signal } from '@preact/signals';

export type KioskView = 'duty' | 'outings' | 'incident' | 'shift';
export const view = signal<KioskView>('duty');
