import { LocaleSwitcher } from '../ui/locale-switcher';
import { EnrollScreen } from './enroll-screen';
import { GateViews } from './gate-views';
import { t } from './messages';
import { meta, reenrolling } from './store';
import { SlipScreen } from './slips/slip-screen';
import { SyncIndicator } from './sync-indicator';
import { selfService } from './visitors/desk-state';
import { SelfService } from './visitors/self-service';
import { LazyVerdictScreen } from './verdict/lazy-verdict-screen';

export function KioskApp() {
  const m = meta.value;
  const enrolled = !!m?.device;
  const unauthorized = m?.deviceState === 'unauthorized';
  let body;
  if (m === null) body = null;
  else if (!enrolled) body = <EnrollScreen reason="new" />;
  else if (unauthorized) body = <EnrollScreen reason="unauthorized" />;
  else if (reenrolling.value)
    body = <EnrollScreen reason="again" onCancel={() => (reenrolling.value = false)} />;
  else if (selfService.value) body = <SelfService />;
  else body = <GateViews onReenroll={() => (reenrolling.value = true)} />;
  return (
    <div class="kiosk">
      <header class="kiosk-bar">
        <h1>{t('kiosk.title')}</h1>
        {enrolled ? <SyncIndicator /> : null}
        <LocaleSwitcher />
      </header>
      <main class="kiosk-main">{body}</main>
      {enrolled && !unauthorized && !reenrolling.value ? <LazyVerdictScreen /> : null}
      {enrolled && !unauthorized ? <SlipScreen /> : null}
    </div>
  );
}
