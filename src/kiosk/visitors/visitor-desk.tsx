/**
 * The guard's visitor desk: the register form (with the returning-visitor shortcut and the
 * invitation confirmation), the key-household marker of the household visited and the watch-list
 * decision (colour, icon and words, the office's instruction; only here, never on the visitor's
 * screen), who is inside now with sign-out by tap, by phone or by the invitation's code, and the
 * switch to self-service.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { HouseholdMarker } from '../key-household-marker';
import { t } from '../messages';
import {
  alerts,
  decideMatch,
  draft,
  householdText,
  inside,
  invitation,
  notice,
  onInvitationText,
  pendingMatch,
  registerReturning,
  resetForm,
  returning,
  saving,
  selfService,
  signOut,
  signOutByPhone,
  startVisitorDesk,
  submit,
} from './desk-state';
import { noticeText, VisitorFields } from './visitor-form';

const time = (ms: number) =>
  new Date(ms).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });

function MatchPanel() {
  const p = pendingMatch.value;
  if (!p?.watch) return null;
  const deny = p.watch.level === 'deny';
  return (
    <section
      class={`watch-match ${deny ? 'deny' : 'watch'}`}
      data-testid="watch-match"
      data-level={p.watch.level}
      role="alert"
    >
      <h3>
        {deny ? '⛔ ' : '⚠ '}
        {t(deny ? 'visitor.match.deny' : 'visitor.match.watch')}
      </h3>
      <p class="instruction">{p.watch.instruction}</p>
      <div class="actions">
        <button
          type="button"
          class={`big-button${deny ? ' secondary' : ''}`}
          onClick={() => void decideMatch(true)}
        >
          {t('visitor.match.admit')}
        </button>
        <button
          type="button"
          class={`big-button${deny ? '' : ' secondary'}`}
          onClick={() => void decideMatch(false)}
        >
          {t('visitor.match.refuse')}
        </button>
      </div>
    </section>
  );
}

function ReturningCard() {
  const r = returning.value;
  if (!r || invitation.value) return null;
  return (
    <section class="returning" data-testid="returning">
      <p>
        {t('visitor.returning', {
          name: r.name,
          unit: householdText(r.householdId),
          id: r.idMasked || '—',
        })}
      </p>
      <button type="button" class="big-button" onClick={() => void registerReturning()}>
        {t('visitor.returningConfirm')}
      </button>
    </section>
  );
}

function CodeEntry(props: { label: string; testId: string; onCode: (text: string) => void }) {
  const text = useSignal('');
  return (
    <form
      class="code-entry"
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.value.trim()) props.onCode(text.value);
        text.value = '';
      }}
    >
      <label>
        {props.label}
        <input
          value={text.value}
          autoComplete="off"
          onInput={(e) => (text.value = (e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" class="big-button secondary">
        {t('visitor.go')}
      </button>
    </form>
  );
}

function InsideList() {
  const phone = useSignal('');
  const rows = inside.value;
  return (
    <section class="inside" data-testid="inside-list" data-count={rows.length}>
      <h3>{t('visitor.inside.title', { count: rows.length })}</h3>
      <form
        class="code-entry"
        onSubmit={(e) => {
          e.preventDefault();
          void signOutByPhone(phone.value).then((ok) => ok && (phone.value = ''));
        }}
      >
        <label>
          {t('visitor.inside.byPhone')}
          <input
            value={phone.value}
            inputMode="tel"
            data-testid="signout-phone"
            onInput={(e) => (phone.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="big-button secondary">
          {t('visitor.inside.signOut')}
        </button>
      </form>
      {rows.length === 0 ? <p class="empty">{t('visitor.inside.none')}</p> : null}
      <ul>
        {rows.map((r) => (
          <li key={r.id} data-entry={r.id} class={r.watch ? `flag-${r.watch.level}` : ''}>
            <span class="who">
              {r.watch ? (r.watch.level === 'deny' ? '⛔ ' : '⚠ ') : ''}
              {r.name}
              {r.persons > 1 ? ` +${r.persons - 1}` : ''}
            </span>
            <span class="where">{householdText(r.householdId)}</span>
            <span class="when">{t('visitor.inside.since', { time: time(r.at) })}</span>
            <button
              type="button"
              class="big-button secondary"
              onClick={() => void signOut(r.id, 'tap')}
            >
              {t('visitor.inside.signOut')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Alerts() {
  const list = alerts.value;
  if (list.length === 0) return null;
  return (
    <section class="alerts" data-testid="watch-alerts">
      <h3>{t('visitor.alerts')}</h3>
      <ul>
        {list.map((r) => (
          <li key={r.id} class={`flag-${r.watch!.level}`}>
            {r.watch!.level === 'deny' ? '⛔ ' : '⚠ '}
            {time(r.at)} {r.name} · {householdText(r.householdId)} · {r.watch!.instruction}
            {r.admitted ? '' : ` · ${t('visitor.notAdmitted')}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function VisitorDesk() {
  useEffect(startVisitorDesk, []);
  const n = notice.value;
  const invited = invitation.value;
  return (
    <section class="visitor-desk" data-testid="visitor-desk">
      <header class="desk-head">
        <h2>{t('visitor.title')}</h2>
        <button
          type="button"
          class="big-button secondary"
          data-testid="self-service-open"
          onClick={() => {
            resetForm();
            selfService.value = true;
          }}
        >
          {t('visitor.selfService.open')}
        </button>
      </header>
      <CodeEntry
        label={t('visitor.invitation.scan')}
        testId="invitation-entry"
        onCode={(text) => void onInvitationText(text)}
      />
      <Alerts />
      <MatchPanel />
      <form
        class="visitor-form"
        data-testid="visitor-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit('guard');
        }}
      >
        {invited ? (
          <p class="invited" data-testid="invited">
            ✉ {t('visitor.invitation.filled', { serial: invited.serial, name: draft.value.name })}
          </p>
        ) : null}
        <ReturningCard />
        <VisitorFields />
        <HouseholdMarker householdIds={draft.value.householdId ? [draft.value.householdId] : []} />
        <div class="actions">
          <button type="submit" class="big-button" disabled={saving.value} data-testid="register">
            {invited ? t('visitor.invitation.confirm') : t('visitor.register')}
          </button>
          <button type="button" class="big-button secondary" onClick={resetForm}>
            {t('visitor.clear')}
          </button>
        </div>
        <p
          class={`save-state${n?.kind === 'saved' && n.admitted ? ' save-saved' : ''}`}
          data-testid="visitor-notice"
          data-kind={n?.kind ?? ''}
          role="status"
        >
          {n ? noticeText(n) : ''}
        </p>
      </form>
      <InsideList />
    </section>
  );
}
