/**
 * Issuing a temporary access card (procedure 4.4.2): the holder, role, ID document, phone,
 * employer household(s), allowed days and hours, validity (default 90 days, at most three months,
 * within the year where the community says so), deposit note and the 1-inch photo. The form checks
 * as the clerk types with the same schema the server applies (src/domain/card.ts), and after
 * issuing goes straight to the print preview.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import {
  cardIssueSchema,
  cardRulesOf,
  defaultCardDates,
  lastDayOf,
  validUntilForLastDay,
  type CardFields,
  type CardIssueContext,
} from '../../domain/card';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '../../domain/rules/identity-documents';
import { defaultValidUntil } from '../../domain/rules/card-validity';
import { epochFromLocal } from '../../domain/rules/time-window';
import { ApiFailure, post } from '../api';
import { nowSeconds } from '../components/card-state';
import { HouseholdPicker } from '../components/household-picker';
import { PhotoCapture, type Portrait } from '../components/photo-capture';
import { clockText, dateOf, isoDate, parseIsoDate, weekdayName } from '../format';
import { t, type OfficeKey } from '../messages';
import type { Card, HouseholdRef } from '../model';
import { serverProblems, zodProblems, type Problems } from '../problems';
import { navigate } from '../router';
import { cpath, settings } from '../session';

const STANDARD_ROLES: Array<[string, OfficeKey]> = [
  ['nanny', 'role.nanny'],
  ['hourly', 'role.hourly'],
  ['tutor', 'role.tutor'],
];

const ID_TYPE_KEYS: Record<IdDocumentType, OfficeKey> = {
  resident_card: 'idType.resident_card',
  residence_permit: 'idType.residence_permit',
  hk_macao_permit: 'idType.hk_macao_permit',
  taiwan_permit: 'idType.taiwan_permit',
  passport: 'idType.passport',
  other: 'idType.other',
};
export const idTypeText = (type: string) =>
  t(ID_TYPE_KEYS[type as IdDocumentType] ?? 'idType.other');

const QUARTERS = Array.from({ length: 97 }, (_, q) => q);
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

interface FormState {
  holderName: string;
  /** 'nanny' | 'hourly' | 'tutor' | 'other' | 'label:<the community's own role>' */
  role: string;
  roleLabel: string;
  idType: IdDocumentType;
  idNumber: string;
  phone: string;
  households: HouseholdRef[];
  weekdays: number;
  startQuarter: number;
  endQuarter: number;
  fromDate: string;
  lastDate: string;
  lastDateEdited: boolean;
  depositNote: string;
  photo: Portrait | null;
}

function context(): CardIssueContext {
  const s = settings.value!;
  return { now: nowSeconds(), timeZone: s.timeZone, rules: cardRulesOf(s) };
}

function initialState(): FormState {
  const ctx = context();
  const { validFrom, validUntil } = defaultCardDates(ctx);
  return {
    holderName: '',
    role: 'hourly',
    roleLabel: '',
    idType: 'resident_card',
    idNumber: '',
    phone: '',
    households: [],
    weekdays: 0x7f,
    startQuarter: 28,
    endQuarter: 84,
    fromDate: dateOf(validFrom),
    lastDate: isoDate(lastDayOf(validUntil, ctx.timeZone)),
    lastDateEdited: false,
    depositNote: '',
    photo: null,
  };
}

/** The form as the API's body; dates that cannot be read become NaN, which the schema refuses. */
function toFields(s: FormState, ctx: CardIssueContext): CardFields {
  const from = parseIsoDate(s.fromDate);
  const last = parseIsoDate(s.lastDate);
  const validFrom = from ? epochFromLocal(from, 0, ctx.timeZone) : NaN;
  const validUntil = from && last ? validUntilForLastDay(validFrom, last, ctx) : NaN;
  const custom = s.role.startsWith('label:');
  return {
    holderName: s.holderName,
    role: custom ? 'other' : (s.role as CardFields['role']),
    roleLabel: custom ? s.role.slice('label:'.length) : s.role === 'other' ? s.roleLabel : '',
    idType: s.idType,
    idNumber: s.idNumber,
    phone: s.phone,
    householdIds: s.households.map((h) => h.id),
    window: { weekdays: s.weekdays, startQuarter: s.startQuarter, endQuarter: s.endQuarter },
    validFrom,
    validUntil,
    depositNote: s.depositNote,
    photo: s.photo?.base64 ?? '',
  };
}

/** Where each problem is shown. */
const FIELD_OF: Record<string, string> = {
  validFrom: 'fromDate',
  validUntil: 'lastDate',
  householdIds: 'households',
  'window.weekdays': 'weekdays',
  'window.startQuarter': 'hours',
  'window.endQuarter': 'hours',
};
const fieldOf = (path: string) =>
  FIELD_OF[path] ?? (path.startsWith('householdIds.') ? 'households' : path);

export function CardIssuePage() {
  const [s, setS] = useState<FormState>(initialState);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ problems: Problems; message: string | null }>({
    problems: {},
    message: null,
  });
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const update = (field: string, patch: Partial<FormState>) => {
    setS((prev) => {
      const next = { ...prev, ...patch };
      // The last day follows the start until the clerk sets it.
      if ('fromDate' in patch && !prev.lastDateEdited) {
        const from = parseIsoDate(next.fromDate);
        if (from) {
          const ctx = context();
          const validFrom = epochFromLocal(from, 0, ctx.timeZone);
          next.lastDate = isoDate(lastDayOf(defaultValidUntil(validFrom, ctx), ctx.timeZone));
        }
      }
      return next;
    });
    setTouched((prev) => new Set(prev).add(field));
    setServer((prev) => {
      const problems = { ...prev.problems };
      for (const k of Object.keys(problems)) if (fieldOf(k) === field) delete problems[k];
      return { problems, message: prev.message };
    });
  };

  const check = useMemo(() => {
    const ctx = context();
    const r = cardIssueSchema(ctx).safeParse(toFields(s, ctx));
    const problems: Problems = {};
    if (!r.success) {
      for (const [path, text] of Object.entries(zodProblems(r.error))) {
        const f = fieldOf(path);
        problems[f] ??= text;
      }
    }
    return { ok: r.success, problems };
  }, [s]);

  const problem = (field: string): string | undefined => {
    const fromServer = Object.entries(server.problems).find(([k]) => fieldOf(k) === field)?.[1];
    if (fromServer) return fromServer;
    return submitted || touched.has(field) ? check.problems[field] : undefined;
  };
  const invalid = (field: string) => (problem(field) ? true : undefined);

  async function submit(e: Event) {
    e.preventDefault();
    setSubmitted(true);
    if (!check.ok) {
      const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      queueMicrotask(() =>
        (first ?? form.current?.querySelector<HTMLElement>('[aria-invalid="true"]'))?.focus(),
      );
      return;
    }
    setBusy(true);
    try {
      const card = await post<Card>(cpath('/cards'), toFields(s, context()));
      navigate(`/office/cards/${card.serial}/print?issued=1`);
    } catch (err) {
      if (err instanceof ApiFailure) {
        setServer({
          problems: serverProblems(err.fields),
          message:
            err.code === 'holder_has_card'
              ? t('issue.holderHasCard', { detail: err.message })
              : err.fields.length
                ? null
                : err.status === 0
                  ? t('error.network')
                  : err.message,
        });
      }
    } finally {
      setBusy(false);
    }
  }

  const custom = settings.value?.cardRoleLabels ?? [];
  const error = (field: string) =>
    problem(field) && (
      <p class="field-error" id={`issue-${field}-error`}>
        {problem(field)}
      </p>
    );
  const described = (field: string) => (problem(field) ? `issue-${field}-error` : undefined);

  return (
    <section class="page" data-testid="issue-page">
      <h2>{t('issue.heading')}</h2>
      <form ref={form} class="issue-form" onSubmit={submit} noValidate>
        <div class="issue-fields">
          <div class="field-row">
            <div class="field field-grow">
              <label for="issue-holderName">{t('card.holderName')}</label>
              <input
                id="issue-holderName"
                name="holderName"
                value={s.holderName}
                autofocus
                aria-invalid={invalid('holderName')}
                aria-describedby={described('holderName')}
                onInput={(e) => update('holderName', { holderName: e.currentTarget.value })}
              />
              {error('holderName')}
            </div>

            <div class="field">
              <label for="issue-role">{t('card.role')}</label>
              <select
                id="issue-role"
                name="role"
                value={s.role}
                onChange={(e) => update('role', { role: e.currentTarget.value })}
              >
                {STANDARD_ROLES.map(([value, key]) => (
                  <option key={value} value={value}>
                    {t(key)}
                  </option>
                ))}
                {custom.map((label) => (
                  <option key={label} value={`label:${label}`}>
                    {label}
                  </option>
                ))}
                <option value="other">{t('role.other')}</option>
              </select>
            </div>
            {s.role === 'other' && (
              <div class="field">
                <label for="issue-roleLabel">{t('issue.roleLabel')}</label>
                <input
                  id="issue-roleLabel"
                  name="roleLabel"
                  value={s.roleLabel}
                  aria-invalid={invalid('roleLabel')}
                  onInput={(e) => update('roleLabel', { roleLabel: e.currentTarget.value })}
                />
                {error('roleLabel')}
              </div>
            )}
          </div>
          <div class="field-row">
            <div class="field">
              <label for="issue-idType">{t('card.idType')}</label>
              <select
                id="issue-idType"
                name="idType"
                value={s.idType}
                onChange={(e) =>
                  update('idType', { idType: e.currentTarget.value as IdDocumentType })
                }
              >
                {ID_DOCUMENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {idTypeText(type)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field field-grow">
              <label for="issue-idNumber">{t('card.idNumber')}</label>
              <input
                id="issue-idNumber"
                name="idNumber"
                value={s.idNumber}
                autocomplete="off"
                spellcheck={false}
                aria-invalid={invalid('idNumber')}
                aria-describedby={described('idNumber')}
                onInput={(e) => update('idNumber', { idNumber: e.currentTarget.value })}
              />
              {error('idNumber')}
            </div>
          </div>
          <div class="field-row">
            <div class="field">
              <label for="issue-phone">{t('card.phone')}</label>
              <input
                id="issue-phone"
                name="phone"
                type="tel"
                value={s.phone}
                aria-invalid={invalid('phone')}
                aria-describedby={described('phone')}
                onInput={(e) => update('phone', { phone: e.currentTarget.value })}
              />
              {error('phone')}
            </div>
            <div class="field field-grow">
              <label for="issue-households">{t('card.employer')}</label>
              <HouseholdPicker
                id="issue-households"
                value={s.households}
                error={problem('households')}
                onChange={(households) => update('households', { households })}
              />
              {error('households')}
            </div>
          </div>
          <fieldset class="field weekdays" aria-invalid={invalid('weekdays')}>
            <legend>{t('card.days')}</legend>
            {DAYS.map((d) => (
              <label key={d} class="day">
                <input
                  type="checkbox"
                  checked={(s.weekdays >> (d - 1)) & 1 ? true : false}
                  onChange={() => update('weekdays', { weekdays: s.weekdays ^ (1 << (d - 1)) })}
                />
                {weekdayName(d)}
              </label>
            ))}
            {error('weekdays')}
          </fieldset>
          <div class="field-row">
            <div class="field">
              <label for="issue-startQuarter">{t('issue.from')}</label>
              <select
                id="issue-startQuarter"
                name="startQuarter"
                value={s.startQuarter}
                onChange={(e) => update('hours', { startQuarter: Number(e.currentTarget.value) })}
              >
                {QUARTERS.slice(0, 96).map((q) => (
                  <option key={q} value={q}>
                    {clockText(q)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="issue-endQuarter">{t('issue.to')}</label>
              <select
                id="issue-endQuarter"
                name="endQuarter"
                value={s.endQuarter}
                onChange={(e) => update('hours', { endQuarter: Number(e.currentTarget.value) })}
              >
                {QUARTERS.map((q) => (
                  <option key={q} value={q}>
                    {clockText(q)}
                  </option>
                ))}
              </select>
            </div>
            <p class="hint field-grow">
              {s.startQuarter === s.endQuarter || (s.startQuarter === 0 && s.endQuarter === 96)
                ? t('issue.allDay')
                : s.endQuarter < s.startQuarter
                  ? t('issue.overnight')
                  : ''}
            </p>
          </div>
          <div class="field-row">
            <div class="field">
              <label for="issue-fromDate">{t('issue.validFrom')}</label>
              <input
                id="issue-fromDate"
                name="fromDate"
                type="date"
                value={s.fromDate}
                aria-invalid={invalid('fromDate')}
                aria-describedby={described('fromDate')}
                onInput={(e) => update('fromDate', { fromDate: e.currentTarget.value })}
              />
              {error('fromDate')}
            </div>
            <div class="field">
              <label for="issue-lastDate">{t('issue.lastDay')}</label>
              <input
                id="issue-lastDate"
                name="lastDate"
                type="date"
                value={s.lastDate}
                aria-invalid={invalid('lastDate')}
                aria-describedby={described('lastDate')}
                onInput={(e) =>
                  update('lastDate', { lastDate: e.currentTarget.value, lastDateEdited: true })
                }
              />
              {error('lastDate')}
            </div>

            <div class="field field-grow">
              <label for="issue-depositNote">{t('card.depositNote')}</label>
              <textarea
                id="issue-depositNote"
                name="depositNote"
                rows={1}
                value={s.depositNote}
                onInput={(e) => update('depositNote', { depositNote: e.currentTarget.value })}
              />
              {error('depositNote')}
            </div>
          </div>
        </div>
        <div class="issue-side">
          <PhotoCapture
            value={s.photo}
            onChange={(photo) => update('photo', { photo })}
            error={problem('photo')}
          />
          {server.message && (
            <p class="form-error" role="alert">
              {server.message}
            </p>
          )}
          <button type="submit" class="button-primary button-wide" disabled={busy}>
            {t('issue.submit')}
          </button>
          <p class="hint">{t('issue.afterSubmit')}</p>
        </div>
      </form>
    </section>
  );
}
