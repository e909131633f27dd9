import { render } from 'preact';
import { registerServiceWorker } from '../data/sw-registration';
import { applyDocumentLanguage } from '../ui/i18n';
import { enrollFromAddress } from './enroll-screen';
import { KioskApp } from './kiosk-app';
import { initStore } from './store';
import { settlePending } from './verdict/session';
import { unlockAudio } from './verdict/sounds';
import '../ui/tokens.css';
import './kiosk.css';

export function start(root: HTMLElement): void {
  document.title = 'Gatepost 门岗';
  applyDocumentLanguage();
  registerServiceWorker(() => undefined);
  render(<KioskApp />, root);
  // Browsers allow sound only after a user gesture: the guard's first tap unlocks it.
  addEventListener('pointerdown', unlockAudio, { once: true });
  // A verdict still on screen when the page goes away is decided by default and recorded.
  addEventListener('pagehide', settlePending);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') settlePending();
  });
  void initStore().then(enrollFromAddress, (e: unknown) => console.error(e));
}
