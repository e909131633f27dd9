import { render } from 'preact';
import { registerServiceWorker } from '../data/sw-registration';
import { applyDocumentLanguage } from '../ui/i18n';
import { OfficeApp } from './office-app';
import '../ui/tokens.css';
import './office.css';

export function start(root: HTMLElement): void {
  document.title = 'Gatepost 物业办公室';
  applyDocumentLanguage();
  registerServiceWorker(() => undefined);
  render(<OfficeApp />, root);
}
