/**
 * Self-service: the visitor fills in the form on the tablet, with large inputs. Sixty seconds
 * without input clears it (the next visitor never sees the last one's details). The visitor sees
 * only "thank you": a watch-list match goes to the guard's desk, never to this screen.
 */
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { t } from '../messages';
import { resetForm, saving, selfService, submit } from './desk-state';
import { VisitorFields } from './visitor-form';

/** Without input for this long the form is cleared, ms. */
export const SELF_SERVICE_IDLE_MS = 60_000;
const THANKS_MS = 8_000;

const thanked = signal(false);
/** Incremented at every automatic reset (tests and tools read it from the screen). */
const resets = signal(0);

export function SelfService() {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        resetForm();
        thanked.value = false;
        resets.value++;
      }, SELF_SERVICE_IDLE_MS);
    };
    const events = ['input', 'pointerdown', 'keydown', 'compositionupdate'];
    for (const e of events) addEventListener(e, arm, true);
    arm();
    return () => {
      clearTimeout(timer);
      for (const e of events) removeEventListener(e, arm, true);
    };
  }, []);
  return (
    <div class="self-service" data-testid="self-service" data-resets={resets.value}>
      <header>
        <h2>{t('visitor.selfService.title')}</h2>
        <button
          type="button"
          class="small-button"
          data-testid="self-service-close"
          onClick={() => {
            if (confirm(t('visitor.selfService.closeConfirm'))) {
              resetForm();
              thanked.value = false;
              selfService.value = false;
            }
          }}
        >
          {t('visitor.selfService.close')}
        </button>
      </header>
      {thanked.value ? (
        <p class="thanks" data-testid="self-service-thanks" role="status">
          ✓ {t('visitor.selfService.thanks')}
        </p>
      ) : (
        <form
          class="visitor-form large"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit('self').then((done) => {
              if (!done) return;
              thanked.value = true;
              setTimeout(() => (thanked.value = false), THANKS_MS);
            });
          }}
        >
          <p class="hint">{t('visitor.selfService.explain')}</p>
          <VisitorFields />
          <button type="submit" class="big-button" disabled={saving.value}>
            {t('visitor.selfService.submit')}
          </button>
        </form>
      )}
    </div>
  );
}
