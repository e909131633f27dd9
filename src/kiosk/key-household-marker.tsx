/**
 * The discreet key-household marker for the guard (procedure 4.1, 4.3): a sign that the household
 * is on the office's list and what the office asks the gate to do, never why (the kiosk holds no
 * category). Every verdict that concerns households (card, visitor, invitation, slip) renders it
 * with `gateMarker(rows)` (domain/key-household.ts) of the households' synced `keyHousehold`
 * rows. Only on the guard's screen: a screen the visitor faces (the visitor's self-registration)
 * must not include it.
 */
import { keyHouseholdRows } from '../data/gate-copy';
import { gateMarker, type GateMarker } from '../domain/key-household';
import { useLive } from './live';
import { t } from './messages';
import { db } from './store';

export function KeyHouseholdMarker(props: { marker: GateMarker | null | undefined }) {
  const m = props.marker;
  if (!m) return null;
  return (
    <p class="kh-marker" data-testid="key-household-marker">
      <span aria-label={t('marker.title')} title={t('marker.title')}>
        ◆
      </span>{' '}
      {[...m.instructions.map((i) => t(`instruction.${i}`)), m.note].filter(Boolean).join('；')}
    </p>
  );
}

/** The marker of the households a guard's screen is about (a visitor's entry, a slip), read live. */
export function HouseholdMarker(props: { householdIds: readonly string[] }) {
  const key = props.householdIds.join(',');
  const rows = useLive(() => keyHouseholdRows(db, props.householdIds), [key]);
  return <KeyHouseholdMarker marker={rows ? gateMarker(rows) : null} />;
}
