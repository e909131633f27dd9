/** A card's state as a badge: words and colour, never colour alone. */
import { cardState, type CardState } from '../../domain/card';
import { t, type OfficeKey } from '../messages';
import type { Card } from '../model';

const KEYS: Record<CardState, OfficeKey> = {
  valid: 'state.valid',
  not_yet_valid: 'state.notYetValid',
  expired: 'state.expired',
  suspended: 'state.suspended',
  revoked: 'state.revoked',
  superseded: 'state.superseded',
};

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function CardStateBadge(props: { card: Card }) {
  const state = cardState(props.card, nowSeconds());
  return (
    <span class={`badge badge-${state}`} data-testid="card-state" data-state={state}>
      {t(KEYS[state])}
    </span>
  );
}
