/**
 * The key-household list (重点户, procedure 4.1–4.2.5): what each gate is told, the categories
 * for roles that may read them, the form to add, change or remove a household, and the change
 * history, dated and attributed. Nothing here is ever on a screen a visitor sees.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  KEY_HOUSEHOLD_CATEGORIES,
  type GateInstruction,
  type KeyHouseholdCategory,
} from '../../domain/key-household';
import { ApiFailure, api, get } from '../api';
import { HouseholdPicker } from '../components/household-picker';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import type { HouseholdRef } from '../model';
import { allowed, cpath } from '../session';

interface KeyHousehold {
  householdId: string;
  label: string;
  categories?: KeyHouseholdCategory[];
  instructions: GateInstruction[];
  note: string;
  source: 'office' | 'integration';
  updatedAt: number;
  updatedBy: string;
}

interface Change {
  id: string;
  householdId: string;
  label: string;
  action: 'added' | 'changed' | 'removed';
  categories?: KeyHouseholdCategory[];
  note: string;
  at: number;
  by: string;
}

const categoryText = (c: readonly KeyHouseholdCategory[]) =>
  c.map((x) => t(`category.${x}`)).join('、');

function KeyHouseholdForm(props: { onSaved: (label: string) => void }) {
  const [household, setHousehold] = useState<HouseholdRef[]>([]);
  const [categories, setCategories] = useState<KeyHouseholdCategory[]>([]);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = household.at(-1);

  const save = async () => {
    if (!target) {
      setProblem(t('kh.needHousehold'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api('PUT', cpath(`/key-households/${target.id}`), { categories, note });
      props.onSaved(target.label);
      setHousehold([]);
      setCategories([]);
      setNote('');
    } catch (e) {
      setProblem(
        e instanceof ApiFailure ? (e.fields[0]?.message ?? e.message) : t('error.network'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="kh-form"
      data-testid="kh-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{t('kh.formHeading')}</h3>
      <div class="field">
        <label for="kh-household">{t('kh.chooseHousehold')}</label>
        <HouseholdPicker
          id="kh-household"
          value={target ? [target] : []}
          onChange={(v) => setHousehold(v.slice(-1))}
          error={problem ?? undefined}
        />
      </div>
      <fieldset class="field">
        <legend>{t('kh.categories')}</legend>
        {KEY_HOUSEHOLD_CATEGORIES.map((c) => (
          <label key={c} class="check">
            <input
              type="checkbox"
              name="category"
              value={c}
              checked={categories.includes(c)}
              onChange={(e) =>
                setCategories(
                  e.currentTarget.checked
                    ? KEY_HOUSEHOLD_CATEGORIES.filter((x) => x === c || categories.includes(x))
                    : categories.filter((x) => x !== c),
                )
              }
            />
            {t(`category.${c}`)}
          </label>
        ))}
        <p class="hint">{t('kh.removeHint')}</p>
      </fieldset>
      <div class="field">
        <label for="kh-note">{t('kh.note')}</label>
        <input
          id="kh-note"
          maxLength={200}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="button-primary" disabled={busy}>
        {t('kh.save')}
      </button>
    </form>
  );
}

export function KeyHouseholdsPage() {
  const [items, setItems] = useState<KeyHousehold[] | null>(null);
  const [changes, setChanges] = useState<Change[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    void get<{ items: KeyHousehold[] }>(cpath('/key-households')).then((r) => setItems(r.items));
    void get<{ changes: Change[] }>(cpath('/key-households/changes?limit=100')).then((r) =>
      setChanges(r.changes),
    );
  }, [round]);
  const seesCategory = allowed('keyhousehold.category');

  return (
    <section class="page" data-testid="key-households-page">
      <h2>{t('kh.heading')}</h2>
      <p class="hint">
        {t('kh.explain')} {!seesCategory && t('kh.hidden')}
      </p>
      {allowed('keyhousehold.write') && (
        <>
          <div class="actions">
            <a class="button-like" href="/office/key-households/import">
              {t('kh.import')}
            </a>
          </div>
          <KeyHouseholdForm
            onSaved={(label) => {
              setSaved(t('kh.saved', { label }));
              setRound((r) => r + 1);
            }}
          />
        </>
      )}
      {saved && (
        <p class="notice" role="status" data-testid="kh-saved">
          {saved}
        </p>
      )}
      <table data-testid="kh-list">
        <thead>
          <tr>
            <th>{t('kh.household')}</th>
            {seesCategory && <th>{t('kh.categories')}</th>}
            <th>{t('kh.instructions')}</th>
            <th>{t('kh.note')}</th>
            <th>{t('kh.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((k) => (
            <tr key={k.householdId} data-testid="kh-row">
              <td>
                <a href={`/office/households/${k.householdId}/events`}>{k.label}</a>
              </td>
              {seesCategory && <td>{categoryText(k.categories ?? [])}</td>}
              <td>{k.instructions.map((i) => t(`instruction.${i}`)).join('；')}</td>
              <td>{k.note}</td>
              <td>
                {dateTimeOfMs(k.updatedAt)} · {k.updatedBy} · {t(`kh.source.${k.source}`)}
              </td>
            </tr>
          ))}
          {items?.length === 0 && (
            <tr>
              <td colSpan={5} class="table-empty">
                {t('kh.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <h3>{t('kh.history')}</h3>
      <table data-testid="kh-history">
        <thead>
          <tr>
            <th>{t('kh.at')}</th>
            <th>{t('kh.household')}</th>
            <th>{t('kh.action')}</th>
            {seesCategory && <th>{t('kh.categories')}</th>}
            <th>{t('kh.note')}</th>
            <th>{t('kh.by')}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.id}>
              <td>{dateTimeOfMs(c.at)}</td>
              <td>{c.label}</td>
              <td>{t(`kh.action.${c.action}`)}</td>
              {seesCategory && <td>{categoryText(c.categories ?? [])}</td>}
              <td>{c.note}</td>
              <td>{c.by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
