import { LocaleSwitcher } from '../ui/locale-switcher';
import { t } from './messages';

export function KioskApp() {
  return (
    <div class="kiosk">
      <header class="kiosk-bar">
        <h1>{t('kiosk.title')}</h1>
        <LocaleSwitcher />
      </header>
      <main class="kiosk-main">
        <section data-testid="enroll-screen">
          <h2>{t('enroll.notEnrolled')}</h2>
          <p>{t('enroll.explain')}</p>
        </section>
      </main>
    </div>
  );
}
