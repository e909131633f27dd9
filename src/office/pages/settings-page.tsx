/**
 * The community's card settings, for administrators: the community's own card roles besides
 * 保姆, 钟点工 and 家教 (offered on the issuing form, sent to the gate as a labelled `other`),
 * whether cards may run into the next year, and how old a gate's data may be before its verdicts
 * turn amber and then stop admitting automatically (domain/verdict/freshness.ts).
 */
import { useState } from 'preact/hooks';
import { communitySettingsSchema } from '../../domain/community';
import { ApiFailure, patch } from '../api';
import { t } from '../messages';
import { cpath, settings } from '../session';

export function SettingsPage() {
  const current = settings.value!;
  const [labels, setLabels] = useState(current.cardRoleLabels.join('\n'));
  const [endWithYear, setEndWithYear] = useState(current.cardsEndWithYear);
  const [amberHours, setAmberHours] = useState(String(current.staleAmberHours));
  const [denyHours, setDenyHours] = useState(String(current.staleDenyHours));
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    const cardRoleLabels = [
      ...new Set(
        labels
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
    const staleAmberHours = Number(amberHours);
    const staleDenyHours = Number(denyHours);
    if (staleDenyHours < staleAmberHours) {
      setMessage({
        text: `${t('settings.staleDenyHours')}: ${t('settings.staleOrder')}`,
        error: true,
      });
      return;
    }
    try {
      const r = await patch<{ settings: unknown }>(cpath(), {
        settings: {
          cardRoleLabels,
          cardsEndWithYear: endWithYear,
          staleAmberHours,
          staleDenyHours,
        },
      });
      settings.value = communitySettingsSchema.parse(r.settings);
      setMessage({ text: t('settings.saved') });
    } catch (err) {
      setMessage({
        text:
          err instanceof ApiFailure ? (err.fields[0]?.message ?? err.message) : t('error.network'),
        error: true,
      });
    }
  }

  return (
    <section class="page" data-testid="settings-page">
      <h2>{t('settings.heading')}</h2>
      <form class="panel" onSubmit={save}>
        <div class="field">
          <label for="settings-roles">{t('settings.roles')}</label>
          <textarea
            id="settings-roles"
            rows={5}
            value={labels}
            onInput={(e) => setLabels(e.currentTarget.value)}
          />
          <p class="hint">{t('settings.rolesHint')}</p>
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={endWithYear}
            onChange={(e) => setEndWithYear(e.currentTarget.checked)}
          />
          {t('settings.endWithYear')}
        </label>
        <h3>{t('settings.gateHeading')}</h3>
        <div class="field">
          <label for="settings-stale-amber">{t('settings.staleAmberHours')}</label>
          <input
            id="settings-stale-amber"
            type="number"
            min={1}
            max={720}
            required
            value={amberHours}
            onInput={(e) => setAmberHours(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="settings-stale-deny">{t('settings.staleDenyHours')}</label>
          <input
            id="settings-stale-deny"
            type="number"
            min={1}
            max={1440}
            required
            value={denyHours}
            onInput={(e) => setDenyHours(e.currentTarget.value)}
          />
          <p class="hint">{t('settings.staleHint')}</p>
        </div>
        {message && (
          <p class={message.error ? 'form-error' : 'notice'} role="status">
            {message.text}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="button-primary">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
