/**
 * The verdict screen, loaded after the camera has started (see session.ts `preloadJudging`): the
 * kiosk's first screen does not wait for it, and it is in memory long before a card is held up.
 */
import { signal } from '@preact/signals';
import { shown } from './session';
import type * as ScreenModule from './verdict-screen';

const screen = signal<typeof ScreenModule | null>(null);
let loading: Promise<unknown> | null = null;

export function preloadVerdictScreen(): void {
  loading ??= import('./verdict-screen').then((m) => (screen.value = m));
}

export function LazyVerdictScreen() {
  const m = screen.value;
  if (!shown.value) return null;
  if (!m) {
    preloadVerdictScreen();
    return null;
  }
  return <m.VerdictScreen />;
}
