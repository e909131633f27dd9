/**
 * The gate guards (门岗人员) in the office: who may start a shift at the gates with a PIN, who is a
 * supervisor (whose PIN also admits on a red verdict), who is on duty where, adding one, renaming,
 * deactivating and setting a new PIN; and the shift register the gates send. The form checks with
 * the server's own schemas; a PIN typed here is sent once and never shown again (the server keeps
 * only its hash).
 */
import { useEffect, useState } from 'preact/hooks';
import { guardChangeSchema, guardCreateSchema, guardPinSchema } from '../../domain/guard';
import type { GuardRole } from '../../domain/sync/tables';
import { ApiFailure, api, get, patch, post } from '../api';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import { serverProblems, zodProblems, type Problems } from '../problems';
import { allowed, cpath } from '../session';

interface Guard {
  id: string;
  name: string;
  role: GuardRole;
  active: boolean;
  pinSetAt: number;
  onDuty: { deviceName: string; since: number } | null;
}

interface ShiftEntry {
  id: string;
  guardName: string;
  deviceName: string;
  startedAt: number | null;
  endedAt: number | null;
  endReason: 'ended' | 'taken_over' | null;
  passages: number | null;
}

function failureProblems(e: unknown): Problems {
  if (!(e instanceof ApiFailure)) return { form: t('error.network') };
  return e.fields.length ? serverProblems(e.fields) : { form: e.message };
}

function FieldError(props: { problems: Problems; field: string; id?: string }) {
  const text = props.problems[props.field];
  return text ? (
    <p class="field-error" role="alert" id={props.id}>
      {text}
    </p>
  ) : null;
}

/** The PIN typed twice (a typing slip would lock the guard out at the gate). */
function PinPair(props: {
  id: string;
  label: string;
  pin: string;
  again: string;
  onPin: (v: string) => void;
  onAgain: (v: string) => void;
  problems: Problems;
}) {
  const fields: Array<[string, string, string, (v: string) => void, 'pin' | 'pinAgain']> = [
    [props.id, props.label, props.pin, props.onPin, 'pin'],
    [`${props.id}-again`, t('guards.pinAgain'), props.again, props.onAgain, 'pinAgain'],
  ];
  return (
    <div class="field-row">
      {fields.map(([id, label, value, onInput, field]) => (
        <div class="field" key={id}>
          <label for={id}>{label}</label>
          <input
            id={id}
            type="password"
            inputMode="numeric"
            autocomplete="new-password"
            maxLength={6}
            value={value}
            aria-invalid={!!props.problems[field]}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          <FieldError problems={props.problems} field={field} />
        </div>
      ))}
    </div>
  );
}

/** A PIN typed twice, checked before anything is sent. */
function checkPinPair(pin: string, again: string): Problems {
  const r = guardPinSchema.safeParse(pin);
  if (!r.success) return { pin: zodProblems(r.error)['(form)'] ?? t('problem.invalid') };
  return pin === again ? {} : { pinAgain: t('guards.pinMismatch') };
}

function AddGuard(props: { onSaved: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<GuardRole>('guard');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [saved, setSaved] = useState('');
  const save = async () => {
    setSaved('');
    const body = { name, role, pin };
    const r = guardCreateSchema.safeParse(body);
    const found = { ...(r.success ? {} : zodProblems(r.error)), ...checkPinPair(pin, again) };
    if (Object.keys(found).length) return setProblems(found);
    try {
      await post(cpath('/guards'), body);
      setProblems({});
      setSaved(t('guards.added', { name: name.trim() }));
      setName('');
      setPin('');
      setAgain('');
      props.onSaved();
    } catch (e) {
      setProblems(failureProblems(e));
    }
  };
  return (
    <form
      class="guard-form"
      data-testid="guard-add"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{t('guards.add')}</h3>
      <div class="field-row">
        <div class="field">
          <label for="guard-name">{t('guards.name')}</label>
          <input
            id="guard-name"
            maxLength={40}
            value={name}
            aria-invalid={!!problems.name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <FieldError problems={problems} field="name" />
        </div>
        <div class="field">
          <label for="guard-role">{t('guards.role')}</label>
          <select
            id="guard-role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as GuardRole)}
          >
            <option value="guard">{t('guards.role.guard')}</option>
            <option value="supervisor">{t('guards.role.supervisor')}</option>
          </select>
        </div>
      </div>
      <PinPair
        id="guard-pin"
        label={t('guards.pin')}
        pin={pin}
        again={again}
        onPin={setPin}
        onAgain={setAgain}
        problems={problems}
      />
      <p class="hint">{t('guards.pinHint')}</p>
      <FieldError problems={problems} field="form" />
      <button type="submit" class="button-primary">
        {t('guards.save')}
      </button>
      {saved && (
        <p class="notice" role="status" data-testid="guard-saved">
          ✓ {saved}
        </p>
      )}
    </form>
  );
}

type Editing = 'name' | 'pin' | null;

function GuardRow(props: { g: Guard; onChanged: () => void }) {
  const { g } = props;
  const [editing, setEditing] = useState<Editing>(null);
  const [name, setName] = useState(g.name);
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState('');
  const change = async (body: Record<string, unknown>) => {
    const r = guardChangeSchema.safeParse(body);
    if (!r.success) return setProblems(zodProblems(r.error));
    try {
      await patch(cpath(`/guards/${g.id}`), body);
      setProblems({});
      setEditing(null);
      props.onChanged();
    } catch (e) {
      setProblems(failureProblems(e));
    }
  };
  const savePin = async () => {
    const found = checkPinPair(pin, again);
    if (Object.keys(found).length) return setProblems(found);
    try {
      await api('PUT', cpath(`/guards/${g.id}/pin`), { pin });
      setProblems({});
      setPin('');
      setAgain('');
      setEditing(null);
      setDone(t('guards.pinSet'));
      props.onChanged();
    } catch (e) {
      setProblems(failureProblems(e));
    }
  };
  const open = (what: Editing) => {
    setProblems({});
    setDone('');
    setEditing(what);
  };
  return (
    <tr data-testid="guard-row" data-guard={g.id} class={g.active ? '' : 'row-muted'}>
      <td>
        {editing === 'name' ? (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void change({ name });
            }}
          >
            <label class="visually-hidden" for={`name-${g.id}`}>
              {t('guards.name')}
            </label>
            <input
              id={`name-${g.id}`}
              maxLength={40}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <button type="submit">{t('guards.save')}</button>
            <button type="button" onClick={() => open(null)}>
              {t('guards.cancel')}
            </button>
            <FieldError problems={problems} field="name" />
          </form>
        ) : (
          <strong>{g.name}</strong>
        )}
      </td>
      <td>{t(`guards.role.${g.role}`)}</td>
      <td>
        {g.active ? t('guards.active') : t('guards.inactive')}
        {g.onDuty && (
          <div class="hint" data-testid="guard-on-duty">
            {t('guards.onDuty', { gate: g.onDuty.deviceName, since: dateTimeOfMs(g.onDuty.since) })}
          </div>
        )}
      </td>
      <td>
        {dateTimeOfMs(g.pinSetAt)}
        {done && (
          <span class="notice" role="status">
            {' '}
            ✓ {done}
          </span>
        )}
        {editing === 'pin' && (
          <form
            class="pin-form"
            data-testid="guard-pin-form"
            onSubmit={(e) => {
              e.preventDefault();
              void savePin();
            }}
          >
            <PinPair
              id={`pin-${g.id}`}
              label={t('guards.newPin')}
              pin={pin}
              again={again}
              onPin={setPin}
              onAgain={setAgain}
              problems={problems}
            />
            <div class="field-row">
              <button type="submit" class="button-primary">
                {t('guards.setPin')}
              </button>
              <button type="button" onClick={() => open(null)}>
                {t('guards.cancel')}
              </button>
            </div>
          </form>
        )}
      </td>
      <td>
        {editing === null && (
          <div class="row-actions">
            <button type="button" onClick={() => open('name')}>
              {t('guards.rename')}
            </button>
            <button type="button" onClick={() => open('pin')}>
              {t('guards.resetPin')}
            </button>
            <button
              type="button"

              onClick={() => void change({ role: g.role === 'guard' ? 'supervisor' : 'guard' })}
            >
              {g.role === 'guard' ? t('guards.makeSupervisor') : t('guards.makeGuard')}
            </button>
            <button
              type="button"

              onClick={() => {
                if (g.active && !confirm(t('guards.deactivateConfirm', { name: g.name }))) return;
                void change({ active: !g.active });
              }}
            >
              {g.active ? t('guards.deactivate') : t('guards.reactivate')}
            </button>
          </div>
        )}
        <FieldError problems={problems} field="form" />
      </td>
    </tr>
  );
}

function ShiftRegister() {
  const [shifts, setShifts] = useState<ShiftEntry[]>([]);
  useEffect(() => {
    void get<{ shifts: ShiftEntry[] }>(cpath('/guard-shifts?limit=50')).then((r) =>
      setShifts(r.shifts),
    );
  }, []);
  const when = (ms: number | null) => (ms === null ? '—' : dateTimeOfMs(ms));
  return (
    <>
      <h3>{t('guards.shifts')}</h3>
      <table data-testid="guard-shifts">
        <thead>
          <tr>
            <th>{t('guards.name')}</th>
            <th>{t('guards.gate')}</th>
            <th>{t('guards.shiftStart')}</th>
            <th>{t('guards.shiftEnd')}</th>
            <th>{t('guards.passages')}</th>
          </tr>
        </thead>
        <tbody>
          {shifts.map((s) => (
            <tr key={s.id} data-testid="guard-shift">
              <td>{s.guardName}</td>
              <td>{s.deviceName}</td>
              <td>{when(s.startedAt)}</td>
              <td>
                {s.endedAt === null ? t('guards.onDutyNow') : when(s.endedAt)}
                {s.endReason === 'taken_over' && ` · ${t('guards.takenOver')}`}
              </td>
              <td>{s.passages ?? '—'}</td>
            </tr>
          ))}
          {shifts.length === 0 && (
            <tr>
              <td colSpan={5} class="table-empty">
                {t('guards.noShifts')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}

export function GuardsPage() {
  const [guards, setGuards] = useState<Guard[] | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    void get<{ guards: Guard[] }>(cpath('/guards')).then((r) => setGuards(r.guards));
  }, [round]);
  const reload = () => setRound((x) => x + 1);
  return (
    <section class="page" data-testid="guards-page">
      <h2>{t('guards.heading')}</h2>
      <p class="hint">{t('guards.explain')}</p>
      <table data-testid="guards">
        <thead>
          <tr>
            <th>{t('guards.name')}</th>
            <th>{t('guards.role')}</th>
            <th>{t('guards.state')}</th>
            <th>{t('guards.pinSetAt')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(guards ?? []).map((g) => (
            <GuardRow key={`${g.id}:${g.name}`} g={g} onChanged={reload} />
          ))}
          {guards?.length === 0 && (
            <tr>
              <td colSpan={5} class="table-empty">
                {t('guards.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <AddGuard onSaved={reload} />
      {allowed('register.read') && <ShiftRegister />}
    </section>
  );
}
