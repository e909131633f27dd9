/**
 * One release slip: what it lets out, under which rules it was issued, its gate records; and what
 * can be done with it: print it, send its code as an image, approve it (a supervisor, for a slip
 * that waited), revoke it while unused, reveal the applicant's ID number (audited).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, post } from '../api';
import { SlipRecords, SlipStateBadge } from '../components/slip-parts';
import { dateTimeOfMs, serialText, validityText } from '../format';
import { t } from '../messages';
import { fetchSlip, type Slip } from '../model';
import { location$ } from '../router';
import { allowed, cpath } from '../session';
import { idTypeText } from './card-issue-page';

function Approve(props: { slip: Slip; onDone(s: Slip): void }) {
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="slip-rule"
      data-testid="approve-form"
      onSubmit={(e) => {
        e.preventDefault();
        post<Slip>(cpath(`/slips/${props.slip.serial}/approve`), {
          arrearsReason: reason,
          watchNote: note,
        }).then(props.onDone, (err: unknown) =>
          setError(err instanceof ApiFailure ? err.message : t('error.network')),
        );
      }}
    >
      <h3>{t('slipDetail.approve')}</h3>
      <p class="hint">{t('slipDetail.waitingFor', { what: props.slip.statusReason })}</p>
      <label>
        {t('slipIssue.overrideReason')}
        <textarea rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <label>
        {t('slipIssue.signOffNote')}
        <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      {error && <p class="form-error">{error}</p>}
      <button type="submit" class="button-primary">
        {t('slipDetail.approve')}
      </button>
    </form>
  );
}

export function SlipDetailPage(props: { params: Record<string, string> }) {
  const serial = Number(props.params.serial);
  const [slip, setSlip] = useState<Slip | null>(null);
  const [missing, setMissing] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchSlip(serial).then(setSlip, () => setMissing(true));
  }, [serial]);
  if (missing) return <p class="page">{t('detail.missing')}</p>;
  if (!slip) return <p class="page">{t('page.loading')}</p>;
  const waiting = location$.value.search.get('waiting') === '1';
  const used = slip.uses.some((u) => u.outcome !== 'refuse');
  const fail = (err: unknown) =>
    setError(err instanceof ApiFailure ? err.message : t('error.network'));
  const revoke = () => {
    const note = prompt(t('slipDetail.revokeNote'));
    if (note === null) return;
    post<Slip>(cpath(`/slips/${slip.serial}/revoke`), { reason: 'cancelled', note }).then(
      setSlip,
      fail,
    );
  };
  return (
    <section class="page" data-testid="slip-detail" data-serial={slip.serial}>
      <h2>
        {t('slip.printTitle')} {serialText(slip.serial)} <SlipStateBadge state={slip.state} />
      </h2>
      {waiting && slip.status === 'awaiting_approval' && (
        <p class="notice" role="status">
          {t('slipDetail.sentForApproval')}
        </p>
      )}
      {slip.openAlert && (
        <p class="form-error" role="alert">
          ⚠ {t('slipDetail.alert')} <a href="/office/slips/alerts">{t('slips.seeAlerts')}</a>
        </p>
      )}
      <dl class="detail-list">
        <dt>{t('slip.household')}</dt>
        <dd>{slip.household.label}</dd>
        <dt>{t('slip.applicant')}</dt>
        <dd>
          {slip.applicantName} · {t(`applicantRole.${slip.applicantRole}`)} · {slip.applicantPhone}
        </dd>
        <dt>{idTypeText(slip.idType)}</dt>
        <dd>
          <span data-testid="slip-id">{revealed ?? slip.idMasked}</span>{' '}
          {allowed('sealed.reveal') && revealed === null && (
            <button
              type="button"
              onClick={() =>
                post<{ idNumber: string }>(cpath(`/slips/${slip.serial}/reveal-id`)).then(
                  (r) => setRevealed(r.idNumber),
                  fail,
                )
              }
            >
              {t('detail.reveal')}
            </button>
          )}
        </dd>
        <dt>{t('slip.validity')}</dt>
        <dd>
          {validityText(slip.validFrom, slip.validUntil)} ·{' '}
          {t('slipDetail.trips', { n: slip.trips })}
        </dd>
        {slip.plate && (
          <>
            <dt>{t('slip.plate')}</dt>
            <dd>{slip.plate}</dd>
          </>
        )}
        {slip.carrierName && (
          <>
            <dt>{t('slip.carrierName')}</dt>
            <dd>{slip.carrierName}</dd>
          </>
        )}
        {slip.consent && (
          <>
            <dt>{t('slipIssue.consent')}</dt>
            <dd>
              {t(`consentWay.${slip.consent.way as 'in_person'}`)} {slip.consent.ownerName}{' '}
              {slip.consent.confirmedBy} {slip.consent.reference}
            </dd>
          </>
        )}
        {slip.arrearsOverride && (
          <>
            <dt>{t('slipIssue.arrearsRule')}</dt>
            <dd>{slip.arrearsOverride.reason}</dd>
          </>
        )}
        {slip.watchSignOff && (
          <>
            <dt>{t('slipIssue.watchRule')}</dt>
            <dd>✓ {slip.watchSignOff.note}</dd>
          </>
        )}
        {slip.status === 'revoked' && (
          <>
            <dt>{t('slipState.revoked')}</dt>
            <dd>
              {slip.statusAt ? dateTimeOfMs(slip.statusAt) : ''} {slip.statusNote}
            </dd>
          </>
        )}
      </dl>
      <table class="slip-items-table">
        <thead>
          <tr>
            <th>{t('slipPrint.itemName')}</th>
            <th>{t('slipPrint.quantity')}</th>
            <th>{t('slipPrint.unit')}</th>
            <th>{t('slipPrint.note')}</th>
          </tr>
        </thead>
        <tbody>
          {slip.items.map((i, n) => (
            <tr key={n}>
              <td>{i.name}</td>
              <td>{i.quantity}</td>
              <td>{i.unit}</td>
              <td>{i.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('slip.records')}</h3>
      <SlipRecords slip={slip} records={slip.uses} />
      {error && <p class="form-error">{error}</p>}
      <div class="actions">
        {slip.status === 'issued' && (
          <a class="button-like" href={`/office/slips/${slip.serial}/print`}>
            {t('slipDetail.print')}
          </a>
        )}
        {slip.status !== 'revoked' && !used && allowed('slip.write') && (
          <button type="button" data-testid="slip-revoke" onClick={revoke}>
            {t('slipDetail.revoke')}
          </button>
        )}
      </div>
      {slip.status === 'awaiting_approval' && allowed('slip.override') && (
        <Approve slip={slip} onDone={setSlip} />
      )}
    </section>
  );
}
