import { useState } from 'preact/hooks';
import { ApiFailure } from '../api';
import { t } from '../messages';
import { signIn } from '../session';

export function SignInPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      await signIn(String(form.get('username')), String(form.get('password')));
      setError(null);
    } catch (err) {
      const status = err instanceof ApiFailure ? err.status : 0;
      setError(
        t(
          status === 401
            ? 'signIn.failed'
            : status === 429
              ? 'signIn.throttled'
              : 'signIn.unavailable',
        ),
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="sign-in" data-testid="sign-in" onSubmit={submit}>
      <h2>{t('signIn.heading')}</h2>
      <label class="field">
        {t('signIn.username')}
        <input name="username" autocomplete="username" required autofocus />
      </label>
      <label class="field">
        {t('signIn.password')}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button class="button-primary button-wide" type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}
