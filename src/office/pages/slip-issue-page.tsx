/**
 * Issuing a release slip (procedure 4.3.1.4): the household, the applicant (name, role, phone, ID
 * sealed as soon as the server has it), the items (as many lines as needed), plate, carrier, the
 * valid day (today by default, at most three days) and trips. The rules are explained where they
 * block: what the main system says of the household (arrears, under watch, the owner's consent it
 * confirmed) is shown as soon as the household is picked, the form checks with the same schema
 * the server applies (src/domain/slip.ts), and a rule the server still refuses is named next to
 * its part of the form. A clerk whose slip needs only a supervisor's part sends it for approval.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  APPLICANT_ROLES,
  CONSENT_WAYS,
  MAX_SLIP_DAYS,
  MAX_SLIP_TRIPS,
  slipIssueSchema,
  todayIso,
  type ConsentWay,
  type SlipBlock,
  type SlipFields,
} from '../../domain/slip';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '../../domain/rules/identity-documents';
import { ApiFailure, get, post } from '../api';
import { nowSeconds } from '../components/card-state';
import { HouseholdPicker } from '../components/household-picker';
import { t } from '../messages';
import type { HouseholdRef, Slip } from '../model';
import { zodProblems, type Problems } from '../problems';
import { navigate } from '../router';
import { allowed, cpath, settings } from '../session';
import { idTypeText } from './card-issue-page';

interface Context {
  occupancy: string;
  movedOut: boolean;
  arrears: boolean;
  underWatch: boolean;
  mainSystemConsent: { reference: string; ownerName: string; confirmedAt: number } | null;
}

interface Line {
  name: string;
  quantity: string;
  unit: string;
  note: string;
}

const emptyLine = (): Line => ({ name: '', quantity: '1', unit: '件', note: '' });
const context = () => ({ now: nowSeconds(), timeZone: settings.value!.timeZone });

export function SlipIssuePage() {
  const [household, setHousehold] = useState<HouseholdRef | null>(null);
  const [facts, setFacts] = useState<Context | null>(null);
  const [applicantName, setApplicantName] = useState('');
  const [applicantRole, setRole] = useState<(typeof APPLICANT_ROLES)[number]>('tenant');
  const [applicantPhone, setPhone] = useState('');
  const [idType, setIdType] = useState<IdDocumentType>('resident_card');
  const [idNumber, setIdNumber] = useState('');
  const [lines, setLines] = useState<Line[]>([emptyLine()]);
  const [plate, setPlate] = useState('');
  const [carrierName, setCarrier] = useState('');
  const [firstDay, setFirstDay] = useState(() => todayIso(context()));
  const [days, setDays] = useState(1);
  const [trips, setTrips] = useState(1);
  const [consentWay, setConsentWay] = useState<ConsentWay | ''>('');
  const [ownerName, setOwnerName] = useState('');
  const [confirmedBy, setConfirmedBy] = useState('');
  const [arrearsReason, setArrearsReason] = useState('');
  const [watchSigned, setWatchSigned] = useState(false);
  const [watchNote, setWatchNote] = useState('');
  const [requestApproval, setRequestApproval] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [blocks, setBlocks] = useState<Problems>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supervisor = allowed('slip.override');

  useEffect(() => {
    setFacts(null);
    if (household)
      void get<Context>(cpath(`/slip-context/${encodeURIComponent(household.id)}`)).then(setFacts);
  }, [household?.id]);

  const fields: SlipFields = {
    householdId: household?.id ?? '',
    applicantName,
    applicantRole,
    applicantPhone,
    applicantIdType: idType,
    applicantIdNumber: idNumber,
    items: lines.map((l) => ({
      name: l.name,
      quantity: Number(l.quantity),
      unit: l.unit,
      note: l.note,
    })),
    plate,
    carrierName,
    firstDay,
    days,
    trips,
    consent:
      applicantRole === 'tenant' && consentWay
        ? { way: consentWay, ownerName, confirmedBy, note: '' }
        : null,
    arrearsOverride: facts?.arrears && supervisor ? { reason: arrearsReason } : null,
    watchSignOff: facts?.underWatch && supervisor && watchSigned ? { note: watchNote } : null,
    requestApproval,
  };
  const problems = useMemo(() => {
    const r = slipIssueSchema(context()).safeParse(fields);
    return r.success ? {} : zodProblems(r.error);
  }, [JSON.stringify(fields)]);

  const problem = (path: string) =>
    blocks[path] ??
    (submitted
      ? (problems[path] ?? Object.entries(problems).find(([k]) => k.startsWith(`${path}.`))?.[1])
      : undefined);
  const error = (path: string) =>
    problem(path) && (
      <p class="field-error" data-testid={`problem-${path}`}>
        {problem(path)}
      </p>
    );

  const needsApproval =
    !supervisor && !!facts && (facts.arrears || facts.underWatch) && !facts.movedOut;

  async function submit(e: Event) {
    e.preventDefault();
    setSubmitted(true);
    setMessage(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const slip = await post<Slip>(cpath('/slips'), fields);
      navigate(
        slip.status === 'awaiting_approval'
          ? `/office/slips/${slip.serial}?waiting=1`
          : `/office/slips/${slip.serial}/print?issued=1`,
      );
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'slip_blocked') {
        const out: Problems = {};
        for (const f of err.fields) out[f.path] ??= t(`block.${f.message as SlipBlock}`);
        setBlocks(out);
        setMessage(t('slipIssue.blocked'));
      } else if (err instanceof ApiFailure) {
        const out: Problems = {};
        for (const f of err.fields) out[f.path] ??= f.message;
        setBlocks(out);
        setMessage(err.status === 0 ? t('error.network') : err.message);
      }
    } finally {
      setBusy(false);
    }
  }

  const setLine = (i: number, patch: Partial<Line>) => {
    setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
    setBlocks({});
  };
  const changed =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setBlocks({});
    };

  return (
    <section class="page" data-testid="slip-issue-page">
      <h2>{t('slipIssue.heading')}</h2>
      <form class="issue-form slip-form" onSubmit={submit} noValidate>
        <div class="issue-fields">
          <div class="field">
            <label for="slip-household">{t('slip.household')}</label>
            <HouseholdPicker
              id="slip-household"
              value={household ? [household] : []}
              error={problem('householdId')}
              onChange={(v) => changed(setHousehold)(v.at(-1) ?? null)}
            />
            {error('householdId')}
            {facts && (
              <ul class="slip-facts" data-testid="slip-facts">
                {facts.arrears && <li class="fact-warn">⚠ {t('slipIssue.arrears')}</li>}
                {facts.underWatch && <li class="fact-warn">⚠ {t('slipIssue.underWatch')}</li>}
                {facts.mainSystemConsent && (
                  <li>
                    ✓{' '}
                    {t('slipIssue.mainSystemConsent', {
                      owner: facts.mainSystemConsent.ownerName,
                      reference: facts.mainSystemConsent.reference,
                    })}
                  </li>
                )}
                {!facts.arrears && !facts.underWatch && <li>✓ {t('slipIssue.noFlags')}</li>}
              </ul>
            )}
          </div>
          <div class="field-row">
            <div class="field field-grow">
              <label for="slip-applicantName">{t('slip.applicant')}</label>
              <input
                id="slip-applicantName"
                value={applicantName}
                onInput={(e) => changed(setApplicantName)(e.currentTarget.value)}
              />
              {error('applicantName')}
            </div>
            <div class="field">
              <label for="slip-role">{t('slip.role')}</label>
              <select
                id="slip-role"
                value={applicantRole}
                onChange={(e) => changed(setRole)(e.currentTarget.value as typeof applicantRole)}
              >
                {APPLICANT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`applicantRole.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="slip-phone">{t('card.phone')}</label>
              <input
                id="slip-phone"
                type="tel"
                value={applicantPhone}
                onInput={(e) => changed(setPhone)(e.currentTarget.value)}
              />
              {error('applicantPhone')}
            </div>
          </div>
          <div class="field-row">
            <div class="field">
              <label for="slip-idType">{t('card.idType')}</label>
              <select
                id="slip-idType"
                value={idType}
                onChange={(e) => changed(setIdType)(e.currentTarget.value as IdDocumentType)}
              >
                {ID_DOCUMENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {idTypeText(type)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field field-grow">
              <label for="slip-idNumber">{t('card.idNumber')}</label>
              <input
                id="slip-idNumber"
                autocomplete="off"
                spellcheck={false}
                value={idNumber}
                onInput={(e) => changed(setIdNumber)(e.currentTarget.value)}
              />
              {error('applicantIdNumber')}
            </div>
          </div>
          <fieldset class="field slip-items">
            <legend>{t('slip.items')}</legend>
            {lines.map((l, i) => (
              <div class="field-row" key={i} data-testid="item-row">
                <input
                  aria-label={t('slipIssue.itemName', { n: i + 1 })}
                  placeholder={t('slipIssue.itemNameHint')}
                  value={l.name}
                  onInput={(e) => setLine(i, { name: e.currentTarget.value })}
                />
                <input
                  aria-label={t('slipIssue.itemQuantity', { n: i + 1 })}
                  type="number"
                  min={1}
                  class="narrow-input"
                  value={l.quantity}
                  onInput={(e) => setLine(i, { quantity: e.currentTarget.value })}
                />
                <input
                  aria-label={t('slipIssue.itemUnit', { n: i + 1 })}
                  class="narrow-input"
                  value={l.unit}
                  onInput={(e) => setLine(i, { unit: e.currentTarget.value })}
                />
                <input
                  aria-label={t('slipIssue.itemNote', { n: i + 1 })}
                  placeholder={t('slipIssue.itemNoteHint')}
                  value={l.note}
                  onInput={(e) => setLine(i, { note: e.currentTarget.value })}
                />
                <button
                  type="button"
                  aria-label={t('slipIssue.removeItem', { n: i + 1 })}
                  disabled={lines.length === 1}
                  onClick={() => setLines(lines.filter((_, j) => j !== i))}
                >
                  ×
                </button>
                {error(`items.${i}`)}
              </div>
            ))}
            <button type="button" onClick={() => setLines([...lines, emptyLine()])}>
              + {t('slipIssue.addItem')}
            </button>
            {error('items')}
          </fieldset>
          <div class="field-row">
            <div class="field">
              <label for="slip-plate">{t('slip.plate')}</label>
              <input
                id="slip-plate"
                value={plate}
                onInput={(e) => changed(setPlate)(e.currentTarget.value)}
              />
              {error('plate')}
            </div>
            <div class="field">
              <label for="slip-carrier">{t('slip.carrierName')}</label>
              <input
                id="slip-carrier"
                value={carrierName}
                onInput={(e) => changed(setCarrier)(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="slip-firstDay">{t('slip.firstDay')}</label>
              <input
                id="slip-firstDay"
                type="date"
                value={firstDay}
                onInput={(e) => changed(setFirstDay)(e.currentTarget.value)}
              />
              {error('firstDay')}
            </div>
            <div class="field">
              <label for="slip-days">{t('slip.days')}</label>
              <select
                id="slip-days"
                value={days}
                onChange={(e) => changed(setDays)(Number(e.currentTarget.value))}
              >
                {Array.from({ length: MAX_SLIP_DAYS }, (_, i) => i + 1).map((d) => (
                  <option key={d} value={d}>
                    {t('slipIssue.daysOption', { n: d })}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="slip-trips">{t('slip.trips')}</label>
              <input
                id="slip-trips"
                type="number"
                min={1}
                max={MAX_SLIP_TRIPS}
                class="narrow-input"
                value={trips}
                onInput={(e) => changed(setTrips)(Number(e.currentTarget.value))}
              />
              {error('trips')}
            </div>
          </div>
        </div>
        <div class="issue-side">
          {applicantRole === 'tenant' && (
            <fieldset class="field slip-rule" data-testid="consent">
              <legend>{t('slipIssue.consent')}</legend>
              <p class="hint">{t('slipIssue.consentWhy')}</p>
              {CONSENT_WAYS.map((way) => (
                <label key={way} class="radio">
                  <input
                    type="radio"
                    name="consent"
                    value={way}
                    checked={consentWay === way}
                    onChange={() => changed(setConsentWay)(way)}
                  />
                  {t(`consentWay.${way}`)}
                </label>
              ))}
              {(consentWay === 'in_person' || consentWay === 'phone') && (
                <label>
                  {t('slipIssue.ownerName')}
                  <input
                    value={ownerName}
                    onInput={(e) => changed(setOwnerName)(e.currentTarget.value)}
                  />
                </label>
              )}
              {consentWay === 'phone' && (
                <label>
                  {t('slipIssue.confirmedBy')}
                  <input
                    value={confirmedBy}
                    onInput={(e) => changed(setConfirmedBy)(e.currentTarget.value)}
                  />
                </label>
              )}
              {error('consent')}
            </fieldset>
          )}
          {facts?.arrears && (
            <fieldset class="field slip-rule" data-testid="arrears">
              <legend>{t('slipIssue.arrearsRule')}</legend>
              <p class="hint">{t('slipIssue.arrearsWhy')}</p>
              {supervisor && (
                <label>
                  {t('slipIssue.overrideReason')}
                  <textarea
                    rows={2}
                    value={arrearsReason}
                    onInput={(e) => changed(setArrearsReason)(e.currentTarget.value)}
                  />
                </label>
              )}
              {error('arrearsOverride')}
            </fieldset>
          )}
          {facts?.underWatch && (
            <fieldset class="field slip-rule" data-testid="watch">
              <legend>{t('slipIssue.watchRule')}</legend>
              <p class="hint">{t('slipIssue.watchWhy')}</p>
              {supervisor && (
                <>
                  <label class="radio">
                    <input
                      type="checkbox"
                      checked={watchSigned}
                      onChange={(e) => changed(setWatchSigned)(e.currentTarget.checked)}
                    />
                    {t('slipIssue.signOff')}
                  </label>
                  <label>
                    {t('slipIssue.signOffNote')}
                    <input
                      value={watchNote}
                      onInput={(e) => changed(setWatchNote)(e.currentTarget.value)}
                    />
                  </label>
                </>
              )}
              {error('watchSignOff')}
            </fieldset>
          )}
          {needsApproval && (
            <label class="radio" data-testid="request-approval">
              <input
                type="checkbox"
                checked={requestApproval}
                onChange={(e) => changed(setRequestApproval)(e.currentTarget.checked)}
              />
              {t('slipIssue.requestApproval')}
            </label>
          )}
          {message && (
            <p class="form-error" role="alert">
              {message}
            </p>
          )}
          <button type="submit" class="button-primary button-wide" disabled={busy}>
            {t('slipIssue.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
