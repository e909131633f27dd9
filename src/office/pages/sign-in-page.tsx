import { useState } from 'preact/hooks';
import { t } from '../messages';

export function SignInPage() {
  const [error, setError] = useState<string | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const res = await fetch('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      setError(res.ok ? null : t(res.status === 401 ? 'signIn.failed' : 'signIn.unavailable'));
    } catch {
      setError(t('signIn.unavailable'));
    }
  }
  return (
    <form class="sign-in" data-testid="sign-in" onSubmit={submit}>
      <h2>{t('signIn.heading')}</h2>
      <label class="field">
        {t('signIn.username')}
        <input name="username" autocomplete="username" required />
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
      <button class="button-primary" type="submit">
        {t('signIn.submit')}
      </button>
    </form>
  );
}
