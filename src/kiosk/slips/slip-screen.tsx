/**
 * The release slip on the gate's screen, over everything else: the refusal in one line (colour,
 * icon and words; with when and where for a slip already used), or the checklist: who, which
 * unit (with the key-household marker for the guard), and each item with its quantity. The guard
 * taps a line to tick it, taps − to let out one fewer, and ends with pass, partial (with what was
 * held back) or refuse (with a reason code).
 * Every control is a large touch target; a five-item slip is passed in six taps.
 */
import { householdLabel } from '../../domain/household';
import { checklistProblem, GUARD_REFUSE_REASONS } from '../../domain/verdict/slip';
import { clockTime } from '../format';
import { HouseholdMarker } from '../key-household-marker';
import { t } from '../messages';
import { PhotoButton } from '../gate-photo';
import {
  askReason,
  closeSlip,
  correctLineDown,
  countTap,
  finishChecklist,
  recordScanRefusal,
  setCarrier,
  setNote,
  setPhoto,
  slipScreen,
  tapsSinceScan,
  tickLine,
  type ChecklistState,
} from './slip-session';

const tapped =
  <A extends unknown[]>(f: (...a: A) => unknown) =>
  (...a: A) => {
    countTap();
    void f(...a);
  };

function Who(props: { state: ChecklistState }) {
  const { slip } = props.state.scan;
  const h = props.state.household;
  return (
    <dl class="slip-who">
      <div>
        <dt>{t('slip.applicant')}</dt>
        <dd>
          {slip.applicantName} · {t(`slip.role.${slip.applicantRole}`)}
        </dd>
      </div>
      <div>
        <dt>{t('slip.unit')}</dt>
        <dd>
          {h ? householdLabel(h) : '—'}
          <HouseholdMarker householdIds={[slip.householdId]} />
        </dd>
      </div>
      <div>
        <dt>{t('slip.idMasked')}</dt>
        <dd>{slip.idMasked || '—'}</dd>
      </div>
      {slip.plate && (
        <div>
          <dt>{t('slip.plate')}</dt>
          <dd>{slip.plate}</dd>
        </div>
      )}
      <div>
        <dt>{t('slip.trips')}</dt>
        <dd>{t('slip.tripsLeft', { left: props.state.scan.tripsLeft, trips: slip.trips })}</dd>
      </div>
    </dl>
  );
}

function Checklist(props: { state: ChecklistState }) {
  const s = props.state;
  const items = s.scan.slip.items;
  const passProblem = checklistProblem(s.lines, 'pass', null);
  const partialReady = checklistProblem(s.lines, 'partial', 'x') === null;
  return (
    <section
      class="slip-screen slip-check"
      data-testid="slip-checklist"
      data-serial={s.scan.serial}
      data-taps={tapsSinceScan.value}
      aria-label={t('slip.title')}
    >
      <header class="slip-head">
        <h2>
          <span aria-hidden="true">📦 </span>
          {t('slip.title')} No. {String(s.scan.serial).padStart(6, '0')}
        </h2>
        <Who state={s} />
      </header>
      <ol class="slip-lines">
        {items.map((item, i) => {
          const line = s.lines[i]!;
          const state =
            line.passed === null ? 'open' : line.passed === line.expected ? 'full' : 'short';
          return (
            <li
              key={i}
              class={`slip-line line-${state}`}
              data-testid="slip-line"
              data-state={state}
            >
              <button
                type="button"
                class="line-tick"
                aria-pressed={line.passed !== null}
                onClick={tapped(() => tickLine(i))}
              >
                <span class="tick-box" aria-hidden="true">
                  {state === 'open' ? '' : state === 'full' ? '✓' : '!'}
                </span>
                <span class="line-name">
                  {item.name}
                  {item.note && <small> · {item.note}</small>}
                </span>
                <span class="line-qty" data-testid="line-qty">
                  {line.passed === null
                    ? `${item.quantity} ${item.unit}`
                    : `${line.passed} / ${item.quantity} ${item.unit}`}
                </span>
              </button>
              <button
                type="button"
                class="line-minus"
                aria-label={t('slip.fewer', { name: item.name })}
                disabled={line.passed === 0}
                onClick={tapped(() => correctLineDown(i))}
              >
                −
              </button>
            </li>
          );
        })}
      </ol>
      <div class="slip-extra">
        <label>
          {t('slip.carrier')}
          <input
            value={s.carrierName}
            maxLength={40}
            onInput={(e) => setCarrier(e.currentTarget.value)}
          />
        </label>
        <PhotoButton label={t('slip.photo')} taken={s.photo !== null} onPhoto={setPhoto} />
      </div>
      {s.asking === 'partial' && (
        <div class="slip-reason">
          <label for="slip-note">{t('slip.partialReason')}</label>
          <input
            id="slip-note"
            value={s.note}
            maxLength={200}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button
            type="button"
            class="big-button partial"
            data-testid="slip-partial-confirm"
            disabled={s.note.trim() === '' || s.saving}
            onClick={tapped(() => finishChecklist('partial'))}
          >
            ◐ {t('slip.partialConfirm')}
          </button>
        </div>
      )}
      {s.asking === 'refuse' && (
        <div class="slip-reason">
          <p>{t('slip.refuseReason')}</p>
          {GUARD_REFUSE_REASONS.map((r) => (
            <button
              key={r}
              type="button"
              class="big-button refuse"
              data-reason={r}
              disabled={s.saving}
              onClick={tapped(() => finishChecklist('refuse', r))}
            >
              ⛔ {t(`slip.reason.${r}`)}
            </button>
          ))}
        </div>
      )}
      <footer class="slip-actions">
        <button
          type="button"
          class="big-button pass"
          data-testid="slip-pass"
          disabled={passProblem !== null || s.saving}
          onClick={tapped(() => finishChecklist('pass'))}
        >
          ✓ {t('slip.pass')}
        </button>
        <button
          type="button"
          class="big-button partial"
          data-testid="slip-partial"
          disabled={!partialReady || s.saving}
          onClick={tapped(() => askReason(s.asking === 'partial' ? null : 'partial'))}
        >
          ◐ {t('slip.partial')}
        </button>
        <button
          type="button"
          class="big-button refuse"
          data-testid="slip-refuse"
          disabled={s.saving}
          onClick={tapped(() => askReason(s.asking === 'refuse' ? null : 'refuse'))}
        >
          ⛔ {t('slip.refuse')}
        </button>
        <button type="button" class="big-button secondary" onClick={tapped(closeSlip)}>
          {t('slip.cancel')}
        </button>
      </footer>
    </section>
  );
}

export function SlipScreen() {
  const s = slipScreen.value;
  if (!s) return null;
  if (s.kind === 'checklist') return <Checklist state={s} />;
  if (s.kind === 'saved' || s.kind === 'failed') {
    return (
      <section
        class={`slip-screen slip-${s.kind}`}
        data-testid="slip-saved"
        data-outcome={s.kind === 'saved' ? s.outcome : 'failed'}
        data-taps={tapsSinceScan.value}
        role="status"
      >
        <p class="slip-saved-words">
          {s.kind === 'saved'
            ? `${s.outcome === 'refuse' ? '⛔' : s.outcome === 'partial' ? '◐' : '✓'} ${t(`slip.saved.${s.outcome}`)}`
            : `⛔ ${t('slip.saveFailed')}`}
        </p>
        <button type="button" class="big-button" onClick={closeSlip}>
          {t('slip.done')}
        </button>
      </section>
    );
  }
  const { scan } = s;
  const last = scan.lastUse;
  return (
    <section
      class="slip-screen slip-refused"
      data-testid="verdict"
      data-verdict="deny"
      data-reason={scan.reason}
      role="alert"
    >
      <h2>
        <span aria-hidden="true">⛔ </span>
        {t('slip.refused')}
      </h2>
      <p class="slip-refused-why">{t(`slip.scan.${scan.reason}`)}</p>
      {scan.reason === 'already_used' && last && (
        <p class="slip-refused-when" data-testid="slip-last-use">
          {t('slip.usedWhenWhere', { when: clockTime(last.at), where: last.device })}
        </p>
      )}
      {scan.slip && (
        <>
          <p>
            {scan.slip.applicantName} ·{' '}
            {s.household ? householdLabel(s.household) : `No. ${scan.slip.serial}`}
          </p>
          <HouseholdMarker householdIds={[scan.slip.householdId]} />
        </>
      )}
      <div class="slip-actions">
        {s.recordable && (
          <button
            type="button"
            class="big-button refuse"
            data-testid="slip-record-refusal"
            onClick={() => void recordScanRefusal()}
          >
            {t('slip.recordRefusal')}
          </button>
        )}
        <button type="button" class="big-button secondary" onClick={closeSlip}>
          {t('slip.close')}
        </button>
      </div>
    </section>
  );
}
