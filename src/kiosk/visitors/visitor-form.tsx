/**
 * The visitor form, for the guard and (larger) for the visitor: every field with its label and
 * its error beside it (`data-testid="error-<field>"`), the unit found by building-unit-room or an
 * occupant's surname among the synced households, the reasons as large choices. Inputs stay
 * friendly to Chinese input methods: nothing is rewritten while a composition is under way.
 */
import { useSignal } from '@preact/signals';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '../../domain/rules/identity-documents';
import { VISIT_REASONS, type DraftField, type VisitorDraft } from '../../domain/visitor/entry';
import { PhotoButton } from '../gate-photo';
import { t } from '../messages';
import type { KioskKey } from '../messages/zh-Hans';
import {
  draft,
  errors,
  householdText,
  households,
  invitation,
  photo,
  setField,
  touch,
  type Notice,
} from './desk-state';

/** Suggestions for the unit field: building-unit-room prefix, or an occupant's surname. */
function suggestions(query: string) {
  const q = query.trim().replace(/[\s/]+/g, '-');
  if (q === '') return [];
  return households.value
    .filter(
      (h) =>
        `${h.building}-${h.unit}-${h.room}`.startsWith(q) ||
        h.room === q ||
        h.surnames.some((s) => s === q || q.startsWith(s)),
    )
    .slice(0, 6);
}

function FieldError(props: { field: DraftField }) {
  const reason = errors.value[props.field];
  return (
    <p class="field-error" data-testid={`error-${props.field}`} role={reason ? 'alert' : undefined}>
      {reason ? `⚠ ${t(`visitor.error.${reason}` as KioskKey)}` : ''}
    </p>
  );
}

function TextField(props: {
  field: Exclude<DraftField, 'idType' | 'reason' | 'householdId'>;
  inputMode?: 'text' | 'numeric' | 'tel';
  autoComplete?: string;
}) {
  const id = `visitor-${props.field}`;
  return (
    <div class={`field${errors.value[props.field] ? ' has-error' : ''}`}>
      <label for={id}>{t(`visitor.field.${props.field}`)}</label>
      <input
        id={id}
        name={props.field}
        value={draft.value[props.field]}
        inputMode={props.inputMode ?? 'text'}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={errors.value[props.field] ? true : undefined}
        onInput={(e) => setField(props.field, (e.currentTarget as HTMLInputElement).value)}
        onBlur={() => touch(props.field)}
      />
      <FieldError field={props.field} />
    </div>
  );
}

function HouseholdField() {
  const query = useSignal('');
  const chosen = draft.value.householdId;
  const list = chosen ? [] : suggestions(query.value);
  return (
    <div class={`field${errors.value.householdId ? ' has-error' : ''}`}>
      <label for="visitor-household">{t('visitor.field.householdId')}</label>
      {chosen ? (
        <div class="chosen-household">
          <span data-testid="chosen-household">{householdText(chosen)}</span>
          <button
            type="button"
            class="small-button"
            onClick={() => {
              setField('householdId', '');
              query.value = '';
            }}
          >
            {t('visitor.change')}
          </button>
        </div>
      ) : (
        <input
          id="visitor-household"
          value={query.value}
          placeholder={t('visitor.householdHint')}
          autoComplete="off"
          onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)}
          onBlur={() => touch('householdId')}
        />
      )}
      {list.length > 0 ? (
        <ul class="suggestions" role="listbox">
          {list.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                role="option"
                data-household={h.id}
                onClick={() => {
                  setField('householdId', h.id);
                  touch('householdId');
                }}
              >
                {`${h.building}-${h.unit}-${h.room}`}
                {h.surnames.length ? ` · ${h.surnames.join('、')}` : ''}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <FieldError field="householdId" />
    </div>
  );
}

export function VisitorFields() {
  const d: VisitorDraft = draft.value;
  const invited = invitation.value !== null;
  return (
    <>
      <TextField field="name" autoComplete="name" />
      <div class="field">
        <label for="visitor-idType">{t('visitor.field.idType')}</label>
        <select
          id="visitor-idType"
          value={d.idType}
          onChange={(e) =>
            setField('idType', (e.currentTarget as HTMLSelectElement).value as IdDocumentType)
          }
        >
          {ID_DOCUMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`visitor.idType.${type}`)}
            </option>
          ))}
        </select>
        <FieldError field="idType" />
      </div>
      <TextField field="idNumber" />
      {invited ? <p class="hint">{t('visitor.invitedOptional')}</p> : null}
      <TextField field="phone" inputMode="tel" autoComplete="tel" />
      <HouseholdField />
      <div class={`field${errors.value.reason ? ' has-error' : ''}`}>
        <span class="label" id="visitor-reason-label">
          {t('visitor.field.reason')}
        </span>
        <div class="choices" role="radiogroup" aria-labelledby="visitor-reason-label">
          {VISIT_REASONS.map((r) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={d.reason === r}
              class={`choice${d.reason === r ? ' chosen' : ''}`}
              onClick={() => {
                setField('reason', r);
                touch('reason');
              }}
            >
              {t(`visitor.reason.${r}`)}
            </button>
          ))}
        </div>
        <FieldError field="reason" />
      </div>
      <TextField field="persons" inputMode="numeric" />
      <TextField field="plate" />
      <PhotoField />
    </>
  );
}

/** The optional photo: taken with the tablet's camera, kept in memory only until it is sealed. */
function PhotoField() {
  const taken = photo.value !== null;
  return (
    <div class="field photo-field">
      <PhotoButton
        label={t('visitor.field.photo')}
        taken={taken}
        onPhoto={(p) => (photo.value = p)}
      />
      {taken ? (
        <button type="button" class="small-button" onClick={() => (photo.value = null)}>
          {t('visitor.photoRemove')}
        </button>
      ) : null}
    </div>
  );
}

export function noticeText(n: Notice): string {
  switch (n.kind) {
    case 'saved':
      return n.admitted
        ? t('visitor.notice.saved', { name: n.name })
        : t('visitor.notice.refused', { name: n.name });
    case 'signed_out':
      return t('visitor.notice.signedOut', { name: n.name });
    case 'invitation_refused':
      return t(`visitor.invitation.${n.reason}`);
    default:
      return t(`visitor.notice.${n.kind}`);
  }
}
