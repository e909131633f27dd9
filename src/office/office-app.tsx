import { LocaleSwitcher } from '../ui/locale-switcher';
import { t } from './messages';
import { SignInPage } from './pages/sign-in-page';

export function OfficeApp() {
  return (
    <div class="office">
      <header class="office-bar">
        <h1>{t('office.title')}</h1>
        <LocaleSwitcher />
      </header>
      <main>
        <SignInPage />
      </main>
    </div>
  );
}
