/**
 * The first screen of an unenrolled kiosk, and the supervisor's re-enrollment. Three ways in, one
 * path: the enrollment URL the tablet's camera app opened (`?enroll=…&fp=…`), a code typed in,
 * or the text the kiosk's own QR scanner decodes (`enrollFromText`, for the scanner to call).
 */
import { signal } from '@preact/signals';
import { enroll, parseEnrollmentText, type EnrollRefusal } from '../data/enrollment';
import { backUpCredential } from '../data/credential-backup';
import { t } from './messages';
import type { ScanHit } from './scan/camera-scanner';
import { RepeatFilter } from './scan/repeat-filter';
import { ScannerView } from './scan/scanner-view';
import { APP_VERSION, db, reenrolling, startSync } from './store';

type Outcome =
  { kind: 'idle' } | { kind: 'working' } | { kind: 'refused'; reason: EnrollRefusal | 'invalid' };
const outcome = signal<Outcome>({ kind: 'idle' });
const typed = signal('');

/** Enrolls from decoded or typed text; the screen shows the outcome. */
export async function enrollFromText(text: string): Promise<boolean> {
  const input = parseEnrollmentText(text);
  if (!input) {
    outcome.value = { kind: 'refused', reason: 'invalid' };
    return false;
  }
  outcome.value = { kind: 'working' };
  const r = await enroll(
    db,
    {
      fetch: (u, i) => fetch(u, i),
      baseUrl: location.origin,
      now: Date.now(),
      appVersion: APP_VERSION,
    },
    input,
  );
  if (!r.ok) {
    outcome.value = { kind: 'refused', reason: r.reason };
    return false;
  }
  backUpCredential(r.credential);
  // Ask the browser to keep this origin's storage under pressure (an installed PWA usually gets it).
  void navigator.storage?.persist?.().catch(() => false);
  outcome.value = { kind: 'idle' };
  typed.value = '';
  reenrolling.value = false;
  startSync();
  return true;
}

const repeats = new RepeatFilter();

/** The kiosk's own camera read a QR code on this screen: enroll with it (once per showing). */
function onEnrollmentScan(hit: ScanHit): void {
  if (outcome.value.kind === 'working' || !repeats.isNew(hit.text, performance.now())) return;
  void enrollFromText(hit.text);
}

/** An enrollment URL opened by the camera app: enroll once, then drop the code from the address. */
export function enrollFromAddress(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('enroll')) return;
  const text = url.toString();
  url.searchParams.delete('enroll');
  url.searchParams.delete('fp');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  void enrollFromText(text);
}

export function EnrollScreen(props: {
  reason: 'new' | 'again' | 'unauthorized';
  onCancel?: () => void;
}) {
  const o = outcome.value;
  return (
    <section class="enroll" data-testid="enroll-screen">
      <h2>{props.reason === 'new' ? t('enroll.notEnrolled') : t('enroll.reenroll')}</h2>
      <p>{props.reason === 'unauthorized' ? t('enroll.unauthorized') : t('enroll.explain')}</p>
      <form
        class="enroll-form"
        onSubmit={(e) => {
          e.preventDefault();
          void enrollFromText(typed.value);
        }}
      >
        <label for="enroll-code">{t('enroll.codeLabel')}</label>
        <input
          id="enroll-code"
          name="code"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          placeholder={t('enroll.codeHint')}
          value={typed.value}
          onInput={(e) => (typed.value = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="big-button" disabled={o.kind === 'working'}>
          {o.kind === 'working' ? t('enroll.working') : t('enroll.submit')}
        </button>
        {props.onCancel ? (
          <button type="button" class="big-button secondary" onClick={props.onCancel}>
            {t('enroll.cancel')}
          </button>
        ) : null}
      </form>
      <p class="enroll-scan-hint">{t('enroll.scanHint')}</p>
      <ScannerView onHit={onEnrollmentScan} onMiss={() => repeats.miss()} />
      {o.kind === 'refused' ? (
        <p class="refusal" role="alert" data-testid="enroll-refusal" data-reason={o.reason}>
          <span aria-hidden="true">⛔ </span>
          {t(`enroll.refused.${o.reason}`)}
        </p>
      ) : null}
    </section>
  );
}
