/**
 * The watch and deny lists, kept by the security supervisor: an ID number, or a name with a
 * phone, and the instruction for the guard. The gates receive keyed hashes and the instruction
 * only; this page shows the number and phone masked.
 */
import { useEffect, useState } from 'preact/hooks';
import { ID_DOCUMENT_TYPES } from '../../domain/rules/identity-documents';
import { ApiFailure, api, get, post } from '../api';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import { cpath } from '../session';

interface WatchEntry {
  id: string;
  level: 'watch' | 'deny';
  name: string;
  phoneMasked: string;
  idMasked: string;
  instruction: string;
  createdAt: number;
}

export function WatchListPage() {
  const [items, setItems] = useState<WatchEntry[]>([]);
  const [reload, setReload] = useState(0);
  const [level, setLevel] = useState<'watch' | 'deny'>('watch');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [idType, setIdType] = useState<string>('resident_card');
  const [idNumber, setIdNumber] = useState('');
  const [instruction, setInstruction] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});

  useEffect(() => {
    void get<{ items: WatchEntry[] }>(cpath('/watch-list')).then((r) => setItems(r.items));
  }, [reload]);

  const submit = async () => {
    setFields({});
    try {
      await post(cpath('/watch-list'), { level, name, phone, idType, idNumber, instruction });
      setName('');
      setPhone('');
      setIdNumber('');
      setInstruction('');
      setReload(reload + 1);
    } catch (e) {
      if (e instanceof ApiFailure && e.fields.length)
        setFields(Object.fromEntries(e.fields.map((f) => [f.path, f.message])));
      else setFields({ form: t('error.network') });
    }
  };
  const err = (f: string) => (fields[f] ? <p class="field-error">{fields[f]}</p> : null);

  return (
    <section class="page" data-testid="watch-page">
      <h2>{t('watch.heading')}</h2>
      <p>{t('watch.explain')}</p>
      <form
        class="compact-form"
        data-testid="watch-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="field">
          <label for="watch-level">{t('watch.level')}</label>
          <select
            id="watch-level"
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value as 'watch' | 'deny')}
          >
            <option value="watch">{t('watch.level.watch')}</option>
            <option value="deny">{t('watch.level.deny')}</option>
          </select>
        </div>
        <div class="field">
          <label for="watch-name">{t('visitors.name')}</label>
          <input id="watch-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          {err('name')}
        </div>
        <div class="field">
          <label for="watch-phone">{t('visitors.phone')}</label>
          <input id="watch-phone" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
          {err('phone')}
        </div>
        <div class="field">
          <label for="watch-idtype">{t('watch.idType')}</label>
          <select
            id="watch-idtype"
            value={idType}
            onChange={(e) => setIdType(e.currentTarget.value)}
          >
            {ID_DOCUMENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`idType.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="watch-idnumber">{t('visitors.idNumber')}</label>
          <input
            id="watch-idnumber"
            value={idNumber}
            onInput={(e) => setIdNumber(e.currentTarget.value)}
          />
          {err('idNumber')}
        </div>
        <div class="field field-grow">
          <label for="watch-instruction">{t('watch.instruction')}</label>
          <input
            id="watch-instruction"
            value={instruction}
            onInput={(e) => setInstruction(e.currentTarget.value)}
          />
          {err('instruction')}
        </div>
        <button type="submit">{t('watch.add')}</button>
        {err('form')}
      </form>
      <table class="data-table" data-testid="watch-table">
        <thead>
          <tr>
            <th>{t('watch.level')}</th>
            <th>{t('visitors.name')}</th>
            <th>{t('visitors.phone')}</th>
            <th>{t('visitors.idNumber')}</th>
            <th>{t('watch.instruction')}</th>
            <th>{t('watch.added')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id}>
              <td>{t(`watch.level.${w.level}`)}</td>
              <td>{w.name || '—'}</td>
              <td>{w.phoneMasked || '—'}</td>
              <td>{w.idMasked || '—'}</td>
              <td>{w.instruction}</td>
              <td>{dateTimeOfMs(w.createdAt)}</td>
              <td>
                <button
                  type="button"
                  onClick={() =>
                    void api('DELETE', cpath(`/watch-list/${w.id}`)).then(() =>
                      setReload(reload + 1),
                    )
                  }
                >
                  {t('watch.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
