/**
 * The one-time setup of the first administrator, reached by the link the server prints at its
 * first start (/office/setup?token=…).
 */
import { useState } from 'preact/hooks';
import { ApiFailure, post } from '../api';
import { t } from '../messages';
import { navigate, location$ } from '../router';
import { loadSession } from '../session';

export function SetupPage() {
  const [error, setError] = useState<string | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await post('/setup', {
        token: location$.value.search.get('token') ?? '',
        username: String(form.get('username')),
        displayName: String(form.get('displayName')),
        password: String(form.get('password')),
      });
      await loadSession();
      navigate('/office', { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiFailure && err.fields.length > 0
          ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ')
          : t('setup.failed'),
      );
    }
  }
  return (
    <form class="sign-in" data-testid="setup" onSubmit={submit}>
      <h2>{t('setup.heading')}</h2>
      <p class="hint">{t('setup.explain')}</p>
      <label class="field">
        {t('signIn.username')}
        <input name="username" autocomplete="username" required minLength={2} />
      </label>
      <label class="field">
        {t('setup.displayName')}
        <input name="displayName" required />
      </label>
      <label class="field">
        {t('signIn.password')}
        <input name="password" type="password" autocomplete="new-password" required minLength={8} />
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button class="button-primary button-wide" type="submit">
        {t('setup.submit')}
      </button>
    </form>
  );
}
