/**
 * One card: its details, its history (the card it renews or replaces, and the one that followed
 * it), and what the office may do with it: print, give the code as a phone image, renew, report
 * lost, revoke with a reason, reinstate after review, and reveal the sealed ID number (to roles
 * allowed to; each reveal is audited).
 */
import { useEffect, useState } from 'preact/hooks';
import { REVOKE_REASONS, type RevokeReason } from '../../domain/card';
import { ApiFailure, post } from '../api';
import { CardStateBadge } from '../components/card-state';
import { phoneImage } from '../components/phone-image';
import { dateTimeOfMs, roleText, serialText, validityText, windowText } from '../format';
import { t, type OfficeKey } from '../messages';
import { fetchCard, photoUrl, type Card } from '../model';
import { serverProblems } from '../problems';
import { navigate } from '../router';
import { allowed, cpath, currentCommunity } from '../session';
import { idTypeText } from './card-issue-page';

const REASON_KEYS: Record<string, OfficeKey> = {
  lost: 'reason.lost',
  left_job: 'reason.left_job',
  misuse: 'reason.misuse',
  other: 'reason.other',
  renewed: 'reason.renewed',
  moved_out: 'reason.moved_out',
};
export const reasonText = (reason: string) =>
  REASON_KEYS[reason] ? t(REASON_KEYS[reason]) : reason;

type Panel = 'revoke' | 'lost' | 'reinstate' | null;

export function CardDetailPage(props: { params: Record<string, string> }) {
  const serial = Number(props.params.serial);
  const [card, setCard] = useState<Card | null>(null);
  const [missing, setMissing] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [reason, setReason] = useState<RevokeReason>('lost');
  const [note, setNote] = useState('');
  const [replace, setReplace] = useState(true);
  const [keep, setKeep] = useState<string[]>([]);

  useEffect(() => {
    fetchCard(serial).then(
      (c) => {
        setCard(c);
        setKeep(c.households.filter((h) => !h.movedOut).map((h) => h.id));
      },
      () => setMissing(true),
    );
  }, [serial]);

  if (missing) return <p class="page">{t('detail.missing')}</p>;
  if (!card) return <p class="page">{t('page.loading')}</p>;
  const canWrite = allowed('card.write');
  const open = card.status === 'active' || card.status === 'suspended';

  const act = async (run: () => Promise<Card>, done: OfficeKey) => {
    try {
      const c = await run();
      setCard(c);
      setPanel(null);
      setNote('');
      setMessage({ text: t(done) });
    } catch (e) {
      const text =
        e instanceof ApiFailure
          ? (Object.values(serverProblems(e.fields))[0] ?? e.message)
          : t('error.network');
      setMessage({ text, error: true });
    }
  };

  const renew = async () => {
    try {
      const renewed = await post<Card>(cpath(`/cards/${serial}/renew`), {});
      navigate(`/office/cards/${renewed.serial}/print?issued=1`);
    } catch (e) {
      const text =
        e instanceof ApiFailure
          ? (Object.values(serverProblems(e.fields))[0] ?? e.message)
          : t('error.network');
      setMessage({ text, error: true });
    }
  };

  const reportLost = async () => {
    try {
      const r = await post<{ revoked: Card; replacement: Card | null }>(
        cpath(`/cards/${serial}/report-lost`),
        { note, replace },
      );
      if (r.replacement) navigate(`/office/cards/${r.replacement.serial}/print?issued=1`);
      else {
        setCard(r.revoked);
        setPanel(null);
        setMessage({ text: t('detail.lostDone') });
      }
    } catch (e) {
      setMessage({ text: e instanceof ApiFailure ? e.message : t('error.network'), error: true });
    }
  };

  const reveal = async () => {
    try {
      const r = await post<{ idNumber: string }>(cpath(`/cards/${serial}/reveal-id`));
      setRevealed(r.idNumber);
    } catch (e) {
      setMessage({ text: e instanceof ApiFailure ? e.message : t('error.network'), error: true });
    }
  };

  const downloadPhoneImage = async () => {
    const blob = await phoneImage(card, currentCommunity.value?.name ?? '');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `card-${card.serial}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  return (
    <section class="page card-detail" data-testid="card-detail">
      <h2>
        {card.holderName} <small>{serialText(card.serial)}</small> <CardStateBadge card={card} />
      </h2>
      {message && (
        <p
          class={message.error ? 'form-error' : 'notice'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <div class="detail-grid">
        {card.photoHash && (
          <img class="detail-photo" src={photoUrl(card.photoHash)} alt={t('card.photo')} />
        )}
        <dl class="detail-fields">
          <dt>{t('card.role')}</dt>
          <dd>{roleText(card.role, card.roleLabel)}</dd>
          <dt>{t('card.idType')}</dt>
          <dd>{idTypeText(card.idType)}</dd>
          <dt>{t('card.idNumber')}</dt>
          <dd>
            <span data-testid="id-number">{revealed ?? card.idMasked}</span>{' '}
            {allowed('sealed.reveal') && revealed === null && (
              <button type="button" class="link-button" onClick={() => void reveal()}>
                {t('detail.reveal')}
              </button>
            )}
            {revealed !== null && <em class="hint"> {t('detail.revealAudited')}</em>}
          </dd>
          <dt>{t('card.phone')}</dt>
          <dd>{card.phone || '—'}</dd>
          <dt>{t('card.employer')}</dt>
          <dd>
            {card.households.map((h) => (
              <span key={h.id} class={h.movedOut ? 'moved-out' : ''}>
                {h.label}
                {h.movedOut && ` (${t('household.movedOut')})`}{' '}
              </span>
            ))}
          </dd>
          <dt>{t('card.hours')}</dt>
          <dd>{windowText(card.window)}</dd>
          <dt>{t('card.validity')}</dt>
          <dd>{validityText(card.validFrom, card.validUntil)}</dd>
          <dt>{t('card.depositNote')}</dt>
          <dd>{card.depositNote || '—'}</dd>
          {card.statusAt !== null && card.status !== 'active' && (
            <>
              <dt>{t('card.state')}</dt>
              <dd data-testid="status-reason">
                {reasonText(card.statusReason)} · {dateTimeOfMs(card.statusAt)}
                {card.statusNote && ` · ${card.statusNote}`}
              </dd>
            </>
          )}
          {card.followsSerial !== null && (
            <>
              <dt>{t('detail.follows')}</dt>
              <dd>
                <a href={`/office/cards/${card.followsSerial}`}>{serialText(card.followsSerial)}</a>
              </dd>
            </>
          )}
          {card.followedBySerial !== null && (
            <>
              <dt>{t('detail.followedBy')}</dt>
              <dd>
                <a href={`/office/cards/${card.followedBySerial}`}>
                  {serialText(card.followedBySerial)}
                </a>
              </dd>
            </>
          )}
          <dt>{t('detail.issuedAt')}</dt>
          <dd>{dateTimeOfMs(card.createdAt)}</dd>
        </dl>
      </div>

      <div class="actions no-print">
        {card.status === 'active' && (
          <a class="button-like button-primary" href={`/office/cards/${serial}/print`}>
            {t('detail.print')}
          </a>
        )}
        {card.status === 'active' && (
          <button type="button" onClick={() => void downloadPhoneImage()}>
            {t('detail.phoneImage')}
          </button>
        )}
        {canWrite && card.status === 'active' && (
          <button type="button" onClick={() => void renew()}>
            {t('detail.renew')}
          </button>
        )}
        {canWrite && open && (
          <button type="button" onClick={() => setPanel(panel === 'lost' ? null : 'lost')}>
            {t('detail.reportLost')}
          </button>
        )}
        {canWrite && open && (
          <button
            type="button"
            class="button-danger"
            onClick={() => setPanel(panel === 'revoke' ? null : 'revoke')}
          >
            {t('detail.revoke')}
          </button>
        )}
        {canWrite && card.status === 'suspended' && (
          <button
            type="button"
            onClick={() => setPanel(panel === 'reinstate' ? null : 'reinstate')}
          >
            {t('detail.reinstate')}
          </button>
        )}
      </div>

      {panel === 'revoke' && (
        <form
          class="panel no-print"
          data-testid="revoke-panel"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => post<Card>(cpath(`/cards/${serial}/revoke`), { reason, note }),
              'detail.revoked',
            );
          }}
        >
          <label class="field">
            {t('detail.reason')}
            <select
              name="reason"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value as RevokeReason)}
            >
              {REVOKE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t('detail.note')}
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <p class="hint">{t('detail.revokeExplain')}</p>
          <button type="submit" class="button-danger">
            {t('detail.revokeConfirm')}
          </button>
        </form>
      )}
      {panel === 'lost' && (
        <form
          class="panel no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void reportLost();
          }}
        >
          <label class="field">
            {t('detail.note')}
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={replace}
              onChange={(e) => setReplace(e.currentTarget.checked)}
            />
            {t('detail.replace')}
          </label>
          <button type="submit" class="button-danger">
            {t('detail.lostConfirm')}
          </button>
        </form>
      )}
      {panel === 'reinstate' && (
        <form
          class="panel no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => post<Card>(cpath(`/cards/${serial}/reinstate`), { householdIds: keep, note }),
              'detail.reinstated',
            );
          }}
        >
          <p class="hint">{t('detail.reinstateExplain')}</p>
          {card.households.map((h) => (
            <label key={h.id} class="check">
              <input
                type="checkbox"
                disabled={h.movedOut}
                checked={keep.includes(h.id)}
                onChange={() =>
                  setKeep(keep.includes(h.id) ? keep.filter((k) => k !== h.id) : [...keep, h.id])
                }
              />
              {h.label}
              {h.movedOut && ` (${t('household.movedOut')})`}
            </label>
          ))}
          <label class="field">
            {t('detail.note')}
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={keep.length === 0}>
            {t('detail.reinstateConfirm')}
          </button>
        </form>
      )}
    </section>
  );
}
