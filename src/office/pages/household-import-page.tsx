/**
 * Importing households from a CSV as property-management systems export it (UTF-8 or GB18030; a
 * template can be downloaded): the server reads the file and reports what the import would do and
 * every bad line and field; nothing is written until the clerk imports a file without errors, and
 * then all of it or none.
 */
import { useMemo, useState } from 'preact/hooks';
import { toBase64Url } from '../../domain/bytes';
import type { Occupancy } from '../../domain/household';
import { HOUSEHOLD_CSV_TEMPLATE } from '../../domain/household-csv';
import { ApiFailure, post } from '../api';
import { count } from '../format';
import { t } from '../messages';
import { cpath } from '../session';
import { OCCUPANCY_KEYS } from './households-page';

interface Preview {
  encoding: string;
  rows: number;
  ignoredColumns: string[];
  errors: Array<{ line: number; field: string; message: string }>;
  created: number;
  updated: number;
  unchanged: number;
  movedOut: number;
  suspendedCards: number;
  sample: Array<{
    line: number;
    building: string;
    unit: string;
    room: string;
    occupancy: Occupancy;
    movedOut: boolean;
    arrears: boolean;
    externalId: string | null;
  }>;
}

export function HouseholdImportPage() {
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const template = useMemo(
    () =>
      URL.createObjectURL(new Blob([HOUSEHOLD_CSV_TEMPLATE], { type: 'text/csv;charset=utf-8' })),
    [],
  );

  const choose = async (f: File) => {
    setDone(null);
    setFailure(null);
    setPreview(null);
    setBusy(true);
    try {
      const base64 = toBase64Url(new Uint8Array(await f.arrayBuffer()));
      setFile({ name: f.name, base64 });
      setPreview(await post<Preview>(cpath('/households/import/preview'), { file: base64 }));
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await post<{
        created: number;
        updated: number;
        unchanged: number;
        suspendedCards: number;
      }>(cpath('/households/import'), { file: file.base64 });
      setDone(
        t('import.done', {
          created: count(r.created),
          updated: count(r.updated),
          unchanged: count(r.unchanged),
          suspended: count(r.suspendedCards),
        }),
      );
      setPreview(null);
      setFile(null);
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  const ok = preview !== null && preview.errors.length === 0;
  return (
    <section class="page" data-testid="import-page">
      <h2>{t('import.heading')}</h2>
      <p class="hint">{t('import.explain')}</p>
      <div class="actions">
        <label class="button-like">
          {t('import.choose')}
          <input
            type="file"
            accept=".csv,text/csv"
            class="visually-hidden"
            data-testid="import-file"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void choose(f);
            }}
          />
        </label>
        <a class="button-like" href={template} download="households-template.csv">
          {t('import.template')}
        </a>
      </div>
      {failure && (
        <p class="form-error" role="alert">
          {failure}
        </p>
      )}
      {done && (
        <p class="notice" role="status" data-testid="import-done">
          {done} <a href="/office/households">{t('import.toList')}</a>
        </p>
      )}
      {preview && (
        <div class="import-preview" data-testid="import-preview">
          <p>
            {t('import.summary', {
              file: file?.name ?? '',
              encoding: preview.encoding.toUpperCase(),
              rows: count(preview.rows),
            })}
          </p>
          {preview.ignoredColumns.length > 0 && (
            <p class="hint">
              {t('import.ignored', { columns: preview.ignoredColumns.join('、') })}
            </p>
          )}
          {preview.errors.length > 0 ? (
            <>
              <p
                class="form-error"
                role="alert"
                data-testid="import-errors"
                data-count={preview.errors.length}
              >
                {t('import.errors', { n: preview.errors.length })}
              </p>
              <table class="errors-table">
                <thead>
                  <tr>
                    <th>{t('import.line')}</th>
                    <th>{t('import.field')}</th>
                    <th>{t('import.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e) => (
                    <tr key={`${e.line}:${e.field}`} data-testid="import-error">
                      <td>{e.line || '—'}</td>
                      <td>{e.field}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="notice" data-testid="import-plan">
              {t('import.plan', {
                created: count(preview.created),
                updated: count(preview.updated),
                unchanged: count(preview.unchanged),
                movedOut: count(preview.movedOut),
                suspended: count(preview.suspendedCards),
              })}
            </p>
          )}
          {preview.sample.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('import.line')}</th>
                  <th>{t('household.address')}</th>
                  <th>{t('household.occupancy')}</th>
                  <th>{t('household.movedOut')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{`${r.building}-${r.unit}-${r.room}`}</td>
                    <td>{t(OCCUPANCY_KEYS[r.occupancy])}</td>
                    <td>{r.movedOut ? t('import.yes') : t('import.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button
            type="button"
            class="button-primary"
            disabled={!ok || busy}
            onClick={() => void apply()}
          >
            {t('import.apply', { rows: count(preview.rows) })}
          </button>
        </div>
      )}
    </section>
  );
}
