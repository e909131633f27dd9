/**
 * Invitations: the clerk invites a visitor (name, unit, first and last day, people, plate,
 * phone), gets the `GP1:` code shown as a QR (ECC M, for a phone screen) and as text, with the PNG
 * to send on; the list shows each invitation's state and cancels one.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, post } from '../api';
import { HouseholdPicker } from '../components/household-picker';
import { QrCode } from '../components/qr-code';
import { validityText } from '../format';
import { t } from '../messages';
import type { HouseholdRef } from '../model';
import { allowed, cpath } from '../session';

interface Invitation {
  serial: number;
  name: string;
  householdLabel: string;
  persons: number;
  plate: string;
  validFrom: number;
  validUntil: number;
  status: 'active' | 'cancelled' | 'used';
  code: string;
}

const todayIso = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function InvitationsPage() {
  const [items, setItems] = useState<Invitation[]>([]);
  const [reload, setReload] = useState(0);
  const [name, setName] = useState('');
  const [households, setHouseholds] = useState<HouseholdRef[]>([]);
  const [firstDay, setFirstDay] = useState(todayIso());
  const [lastDay, setLastDay] = useState(todayIso());
  const [persons, setPersons] = useState('1');
  const [plate, setPlate] = useState('');
  const [phone, setPhone] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Invitation | null>(null);
  const canWrite = allowed('invitation.write');

  useEffect(() => {
    void get<{ items: Invitation[] }>(cpath('/invitations')).then((r) => setItems(r.items));
  }, [reload]);

  const submit = async () => {
    setFields({});
    try {
      const inv = await post<Invitation>(cpath('/invitations'), {
        name,
        householdId: households[0]?.id ?? '',
        firstDay,
        lastDay,
        persons: Number(persons),
        plate,
        phone,
      });
      setCreated(inv);
      setName('');
      setHouseholds([]);
      setPlate('');
      setPhone('');
      setReload(reload + 1);
    } catch (e) {
      if (e instanceof ApiFailure && e.fields.length)
        setFields(Object.fromEntries(e.fields.map((f) => [f.path.split('.')[0]!, f.message])));
      else setFields({ form: e instanceof ApiFailure ? e.message : t('error.network') });
    }
  };
  const err = (f: string) =>
    fields[f] ? (
      <p class="field-error" data-testid={`invite-error-${f}`}>
        {fields[f]}
      </p>
    ) : null;

  return (
    <section class="page" data-testid="invitations-page">
      <h2>{t('invitations.heading')}</h2>
      {canWrite && (
        <form
          class="compact-form"
          data-testid="invite-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div class="field">
            <label for="invite-name">{t('visitors.name')}</label>
            <input id="invite-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            {err('name')}
          </div>
          <div class="field field-grow">
            <label for="invite-household">{t('visitors.unit')}</label>
            <HouseholdPicker
              id="invite-household"
              value={households}
              onChange={(v) => setHouseholds(v.slice(-1))}
            />
            {err('householdId')}
          </div>
          <div class="field">
            <label for="invite-first">{t('invitations.firstDay')}</label>
            <input
              id="invite-first"
              type="date"
              value={firstDay}
              onChange={(e) => setFirstDay(e.currentTarget.value)}
            />
            {err('firstDay')}
          </div>
          <div class="field">
            <label for="invite-last">{t('invitations.lastDay')}</label>
            <input
              id="invite-last"
              type="date"
              value={lastDay}
              onChange={(e) => setLastDay(e.currentTarget.value)}
            />
            {err('lastDay')}
          </div>
          <div class="field">
            <label for="invite-persons">{t('visitors.persons')}</label>
            <input
              id="invite-persons"
              inputMode="numeric"
              value={persons}
              onInput={(e) => setPersons(e.currentTarget.value)}
            />
            {err('persons')}
          </div>
          <div class="field">
            <label for="invite-plate">{t('visitors.plate')}</label>
            <input
              id="invite-plate"
              value={plate}
              onInput={(e) => setPlate(e.currentTarget.value)}
            />
            {err('plate')}
          </div>
          <div class="field">
            <label for="invite-phone">{t('visitors.phone')}</label>
            <input
              id="invite-phone"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
            {err('phone')}
          </div>
          <button type="submit">{t('invitations.create')}</button>
          {err('form')}
        </form>
      )}
      {created && (
        <section class="invitation-code" data-testid="invitation-created">
          <QrCode text={created.code} ecc="M" class="invitation-qr" label={t('invitations.qr')} />
          <p>
            No. {created.serial} · {created.name} · {created.householdLabel} ·{' '}
            {validityText(created.validFrom, created.validUntil)}
          </p>
          <code data-testid="invitation-code">{created.code}</code>
          <a
            class="button-like"
            href={`/api${cpath(`/invitations/${created.serial}/qr.png`)}`}
            download={`invitation-${created.serial}.png`}
          >
            {t('invitations.png')}
          </a>
        </section>
      )}
      <table class="data-table" data-testid="invitations-table">
        <thead>
          <tr>
            <th>No.</th>
            <th>{t('visitors.name')}</th>
            <th>{t('visitors.unit')}</th>
            <th>{t('invitations.days')}</th>
            <th>{t('visitors.persons')}</th>
            <th>{t('invitations.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.serial} data-serial={i.serial}>
              <td>{i.serial}</td>
              <td>{i.name}</td>
              <td>{i.householdLabel}</td>
              <td>{validityText(i.validFrom, i.validUntil)}</td>
              <td>{i.persons}</td>
              <td>{t(`invitations.state.${i.status}`)}</td>
              <td>
                {canWrite && i.status === 'active' && (
                  <button
                    type="button"
                    onClick={() =>
                      void post(cpath(`/invitations/${i.serial}/cancel`)).then(() =>
                        setReload(reload + 1),
                      )
                    }
                  >
                    {t('invitations.cancel')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
