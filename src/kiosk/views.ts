/** Which of the guard's screens is shown under the bar: duty (scan, notes), outings, incident. */
import { signal } from '@preact/signals';

export type KioskView = 'duty' | 'outings' | 'incident';
export const view = signal<KioskView>('duty');
