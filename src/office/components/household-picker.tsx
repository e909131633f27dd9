/**
 * Choosing the employer household(s) of a card: type the unit as the clerk writes it ("3-2-1201")
 * or an occupant's name, then pick a suggestion with the mouse or Enter (the first one) and the
 * arrow keys. Households that moved out are shown but cannot be picked.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { t } from '../messages';
import type { Household, HouseholdRef, Page } from '../model';
import { cpath } from '../session';

export function HouseholdPicker(props: {
  value: HouseholdRef[];
  onChange(v: HouseholdRef[]): void;
  error?: string | undefined;
  id: string;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Household[]>([]);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const q = text.trim();
    if (q === '') {
      setFound([]);
      return;
    }
    let current = true;
    const id = setTimeout(() => {
      void get<Page<Household>>(cpath(`/households${query({ q, limit: 8 })}`)).then((p) => {
        if (current) {
          setFound(p.items);
          setActive(0);
        }
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(id);
    };
  }, [text]);

  const pick = (h: Household) => {
    if (h.movedOut) return;
    if (!props.value.some((v) => v.id === h.id)) {
      props.onChange([...props.value, { id: h.id, label: h.label, movedOut: false }]);
    }
    setText('');
    setFound([]);
  };
  const selectable = found.filter((h) => !h.movedOut);

  return (
    <div class="household-picker">
      <div class="chips">
        {props.value.map((h) => (
          <span class="chip" key={h.id} data-testid="employer-chip">
            {h.label}
            <button
              type="button"
              aria-label={t('picker.remove', { label: h.label })}
              onClick={() => props.onChange(props.value.filter((v) => v.id !== h.id))}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <input
        id={props.id}
        type="text"
        role="combobox"
        aria-expanded={found.length > 0}
        aria-controls={`${props.id}-list`}
        aria-invalid={props.error ? true : undefined}
        autocomplete="off"
        placeholder={t('picker.placeholder')}
        value={text}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive(Math.min(active + 1, selectable.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive(Math.max(active - 1, 0));
          } else if (e.key === 'Enter' && selectable.length > 0) {
            e.preventDefault();
            pick(selectable[active] ?? selectable[0]!);
          } else if (e.key === 'Escape') setFound([]);
        }}
      />
      {found.length > 0 && (
        <ul class="suggestions" id={`${props.id}-list`} role="listbox">
          {found.map((h) => (
            <li
              key={h.id}
              role="option"
              aria-selected={selectable[active]?.id === h.id}
              aria-disabled={h.movedOut}
              class={h.movedOut ? 'moved-out' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              <strong>{h.label}</strong> {h.occupants.join('、')}
              {h.movedOut && <em> {t('household.movedOut')}</em>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
