/**
 * The incident record (《突发事件处理记录表》) on the kiosk: the paper form's fields, three
 * signatures drawn on the screen and photos from the tablet's camera. Saved durably with its
 * event; the office receives it with the next push. Each missing or bad field is marked where it
 * is, from the same schema the server checks.
 */
import { useState } from 'preact/hooks';
import { toBase64Url } from '../domain/bytes';
import {
  INCIDENT_ACTIONS,
  INCIDENT_TYPES,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  MAX_SIGNATURE_BYTES,
  SIGNERS,
  incidentPayloadSchema,
  type IncidentAction,
  type IncidentType,
  type Signer,
} from '../domain/incident';
import { householdByLabel } from '../data/gate-lists';
import { recordIncident } from '../data/gate-records';
import { jpegWithin } from '../ui/jpeg';
import { clockTime } from './format';
import { useLive } from './live';
import { t } from './messages';
import { db, nudgeSync } from './store';
import { guardIdOnDuty } from './duty';
import { SignaturePad } from './signature-pad';

const MAX_PHOTO_SIDE = 1280;

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

async function photoOf(file: File): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Uint8Array(await (await jpegWithin(canvas, MAX_PHOTO_BYTES)).arrayBuffer());
}

type Errors = Partial<Record<string, string>>;

function RecentIncidents() {
  const rows = useLive(() => db.incidents.orderBy('at').reverse().limit(5).toArray(), []) ?? [];
  if (rows.length === 0) return null;
  return (
    <section class="recent-incidents">
      <h3>{t('incident.recent')}</h3>
      <ul>
        {rows.map((r) => (
          <li key={r.id} data-testid="recent-incident">
            {clockTime(r.occurredAt)} · {t(`incident.type.${r.type as IncidentType}`)} · {r.unit}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function IncidentScreen() {
  const [type, setType] = useState<IncidentType>('home_entry');
  const [unit, setUnit] = useState('');
  const [place, setPlace] = useState('');
  const [occurredAt, setOccurredAt] = useState(() => localInput(Date.now()));
  const [people, setPeople] = useState('');
  const [happened, setHappened] = useState('');
  const [actions, setActions] = useState<IncidentAction[]>([]);
  const [actionsNote, setActionsNote] = useState('');
  const [names, setNames] = useState<Record<Signer, string>>({
    guard: '',
    supervisor: '',
    resident: '',
  });
  const [pngs, setPngs] = useState<Record<Signer, Uint8Array | null>>({
    guard: null,
    supervisor: null,
    resident: null,
  });
  const [photos, setPhotos] = useState<Uint8Array[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [formKey, setFormKey] = useState(0);

  const save = async () => {
    setState('saving');
    const found: Errors = {};
    const householdId = unit.trim() ? await householdByLabel(db, unit) : null;
    if (unit.trim() && !householdId) found.unit = t('incident.unitUnknown');
    for (const s of SIGNERS) {
      const png = pngs[s];
      if (!png) found[`signatures.${s}.png`] = t('incident.needSignature');
      else if (png.length > MAX_SIGNATURE_BYTES)
        found[`signatures.${s}.png`] = t('incident.signatureTooLarge');
    }
    const payload = {
      type,
      householdId,
      place: place.trim(),
      occurredAt: new Date(occurredAt).getTime(),
      people,
      happened,
      actions,
      actionsNote,
      signatures: Object.fromEntries(
        SIGNERS.map((s) => [s, { name: names[s], png: pngs[s] ? toBase64Url(pngs[s]) : '' }]),
      ),
      photos: photos.map((p) => toBase64Url(p)),
    };
    const parsed = incidentPayloadSchema.safeParse(payload);
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const field = path === 'place' && !householdId && !unit.trim() ? 'unit' : path;
        found[field] ??= issue.code === 'too_small' ? t('incident.required') : issue.message;
      }
    if (Object.keys(found).length > 0 || !parsed.success) {
      setErrors(found);
      setState('failed');
      return;
    }
    try {
      await recordIncident(
        db,
        parsed.data,
        unit.trim() || place.trim(),
        Date.now(),
        -new Date().getTimezoneOffset(),
        guardIdOnDuty(),
      );
      nudgeSync();
      setState('saved');
      setErrors({});
      setType('home_entry');
      setUnit('');
      setPlace('');
      setOccurredAt(localInput(Date.now()));
      setPeople('');
      setHappened('');
      setActions([]);
      setActionsNote('');
      setNames({ guard: '', supervisor: '', resident: '' });
      setPngs({ guard: null, supervisor: null, resident: null });
      setPhotos([]);
      setFormKey((k) => k + 1);
    } catch (e) {
      console.error(e);
      setState('failed');
    }
  };

  const err = (field: string) =>
    errors[field] ? (
      <span class="field-error" role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <section class="gate-screen incident-form" data-testid="incident-screen" key={formKey}>
      <h2>{t('incident.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>{t('incident.type')}</legend>
          <div class="choice-row">
            {INCIDENT_TYPES.map((k) => (
              <button
                key={k}
                type="button"
                class={`choice${k === type ? ' chosen' : ''}`}
                aria-pressed={k === type}
                onClick={() => setType(k)}
              >
                {t(`incident.type.${k}`)}
              </button>
            ))}
          </div>
        </fieldset>
        <label>
          {t('incident.unit')}
          <input
            name="unit"
            value={unit}
            placeholder="3-2-1201"
            onInput={(e) => setUnit(e.currentTarget.value)}
          />
          {err('unit')}
        </label>
        <label>
          {t('incident.place')}
          <input
            name="place"
            maxLength={60}
            value={place}
            onInput={(e) => setPlace(e.currentTarget.value)}
          />
          {err('place')}
        </label>
        <label>
          {t('incident.occurredAt')}
          <input
            name="occurredAt"
            type="datetime-local"
            value={occurredAt}
            onInput={(e) => setOccurredAt(e.currentTarget.value)}
          />
          {err('occurredAt')}
        </label>
        <label>
          {t('incident.people')}
          <input
            name="people"
            maxLength={300}
            value={people}
            onInput={(e) => setPeople(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('incident.happened')}
          <textarea
            name="happened"
            rows={4}
            maxLength={2000}
            value={happened}
            onInput={(e) => setHappened(e.currentTarget.value)}
          />
          {err('happened')}
        </label>
        <fieldset>
          <legend>{t('incident.actions')}</legend>
          {INCIDENT_ACTIONS.map((a) => (
            <label key={a} class="check">
              <input
                type="checkbox"
                checked={actions.includes(a)}
                onChange={(e) =>
                  setActions(
                    e.currentTarget.checked
                      ? INCIDENT_ACTIONS.filter((x) => x === a || actions.includes(x))
                      : actions.filter((x) => x !== a),
                  )
                }
              />
              {t(`incident.action.${a}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('incident.actionsNote')}
          <textarea
            name="actionsNote"
            rows={2}
            maxLength={500}
            value={actionsNote}
            onInput={(e) => setActionsNote(e.currentTarget.value)}
          />
        </label>
        <fieldset>
          <legend>{t('incident.signatures')}</legend>
          {SIGNERS.map((s) => {
            const signer = t(`incident.signer.${s}`);
            return (
              <div key={s} class="signer">
                <label>
                  {t('incident.signerName', { signer })}
                  <input
                    name={`signer-${s}`}
                    maxLength={40}
                    value={names[s]}
                    onInput={(e) => setNames({ ...names, [s]: e.currentTarget.value })}
                  />
                  {err(`signatures.${s}.name`)}
                </label>
                <SignaturePad
                  label={t('incident.signHere', { signer })}
                  testId={`signature-${s}`}
                  invalid={errors[`signatures.${s}.png`]}
                  onChange={(png) => setPngs((p) => ({ ...p, [s]: png }))}
                />
              </div>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>{t('incident.photos', { n: MAX_PHOTOS })}</legend>
          <div class="photo-row">
            {photos.map((p, i) => (
              <figure key={i}>
                <img
                  alt=""
                  src={URL.createObjectURL(new Blob([p as BlobPart], { type: 'image/jpeg' }))}
                />
                <button
                  type="button"
                  class="small-button"
                  onClick={() => setPhotos(photos.filter((_, j) => j !== i))}
                >
                  {t('incident.removePhoto')}
                </button>
              </figure>
            ))}
          </div>
          {photos.length < MAX_PHOTOS && (
            <label class="big-button secondary file-button">
              {t('incident.addPhoto')}
              <input
                type="file"
                accept="image/*"
                capture="environment"
                class="visually-hidden"
                data-testid="incident-photo"
                onChange={(e) => {
                  const f = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (!f) return;
                  photoOf(f).then(
                    (p) => {
                      setPhotos((list) => [...list, p].slice(0, MAX_PHOTOS));
                      setErrors((x) => ({ ...x, photos: undefined }));
                    },
                    () => setErrors((x) => ({ ...x, photos: t('incident.photoFailed') })),
                  );
                }}
              />
            </label>
          )}
          {err('photos')}
        </fieldset>
        <button type="submit" class="big-button" disabled={state === 'saving'}>
          {state === 'saving' ? t('incident.saving') : t('incident.save')}
        </button>
        <p
          class={`save-state save-${state}`}
          data-testid="incident-save-state"
          data-state={state}
          role="status"
        >
          {state === 'saved'
            ? `✓ ${t('incident.saved')}`
            : state === 'failed'
              ? `⛔ ${t('incident.failed')}`
              : ''}
        </p>
      </form>
      <RecentIncidents />
    </section>
  );
}
