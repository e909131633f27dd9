/**
 * A table whose rows the server searches, sorts and pages: the console holds one page at a time,
 * so a community with thousands of households or cards costs the browser nothing. Sort by a
 * column header (a button, so it works from the keyboard), search as you type (debounced), page
 * with the buttons below.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { count } from '../format';
import { t } from '../messages';

export interface Column<T> {
  key: string;
  label: string;
  /** The server's sort key, when the column can be sorted. */
  sort?: string;
  render(row: T): ComponentChildren;
  class?: string;
}

export interface PageQuery {
  q: string;
  sort: string;
  desc: boolean;
  offset: number;
  limit: number;
}

interface Props<T> {
  columns: Column<T>[];
  load(query: PageQuery): Promise<{ total: number; items: T[] }>;
  rowKey(row: T): string | number;
  defaultSort: string;
  defaultDesc?: boolean;
  searchLabel: string;
  pageSize?: number;
  /** Changing it reloads the current page (after a change made elsewhere on the page). */
  reloadKey?: unknown;
  toolbar?: ComponentChildren;
  testId?: string;
}

export function DataTable<T>(props: Props<T>) {
  const { columns, pageSize = 20 } = props;
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sort, setSort] = useState(props.defaultSort);
  const [desc, setDesc] = useState(props.defaultDesc ?? false);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; items: T[] } | null>(null);
  const [failed, setFailed] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const id = setTimeout(() => {
      setDebounced(q);
      setOffset(0);
    }, 250);
    return () => clearTimeout(id);
  }, [q]);

  useEffect(() => {
    const mine = ++seq.current;
    props
      .load({ q: debounced.trim(), sort, desc, offset, limit: pageSize })
      .then((p) => {
        if (mine === seq.current) {
          setPage(p);
          setFailed(false);
        }
      })
      .catch(() => mine === seq.current && setFailed(true));
    // `load` is recreated by each render of the parent: the query, not it, decides when to fetch.
  }, [debounced, sort, desc, offset, pageSize, props.reloadKey]);

  const sortBy = (key: string) => {
    if (key === sort) setDesc(!desc);
    else {
      setSort(key);
      setDesc(false);
    }
    setOffset(0);
  };
  const total = page?.total ?? 0;
  return (
    <div class="data-table" data-testid={props.testId}>
      <div class="table-tools no-print">
        <input
          type="search"
          class="table-search"
          aria-label={props.searchLabel}
          placeholder={props.searchLabel}
          value={q}
          onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        />
        {props.toolbar}
      </div>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                class={c.class}
                aria-sort={c.sort === sort ? (desc ? 'descending' : 'ascending') : undefined}
              >
                {c.sort ? (
                  <button type="button" class="sort-button" onClick={() => sortBy(c.sort!)}>
                    {c.label}
                    <span aria-hidden="true">{c.sort === sort ? (desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page?.items.map((row) => (
            <tr key={props.rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} class={c.class}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
          {page && page.items.length === 0 && (
            <tr>
              <td colSpan={columns.length} class="table-empty">
                {t('table.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {failed && (
        <p class="form-error" role="alert">
          {t('error.network')}
        </p>
      )}
      <div class="pager no-print">
        <span data-testid="table-total" data-total={total}>
          {total === 0
            ? t('table.none')
            : t('table.range', {
                from: count(offset + 1),
                to: count(Math.min(offset + pageSize, total)),
                total: count(total),
              })}
        </span>
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - pageSize))}
        >
          {t('table.previous')}
        </button>
        <button
          type="button"
          disabled={offset + pageSize >= total}
          onClick={() => setOffset(offset + pageSize)}
        >
          {t('table.next')}
        </button>
      </div>
    </div>
  );
}
