import { render } from 'preact';
import { registerServiceWorker } from '../data/sw-registration';
import { applyDocumentLanguage } from '../ui/i18n';
import { enrollFromAddress } from './enroll-screen';
import { KioskApp } from './kiosk-app';
import { initStore } from './store';
import '../ui/tokens.css';
import './kiosk.css';

export function start(root: HTMLElement): void {
  document.title = 'Gatepost 门岗';
  applyDocumentLanguage();
  registerServiceWorker(() => undefined);
  render(<KioskApp />, root);
  void initStore().then(enrollFromAddress, (e: unknown) => console.error(e));
}
