/**
 * An office CSV import, one way for every list (households, the key-household change table): a
 * template to download; the file sent to the server, which reads it (UTF-8 or GB18030) and
 * reports what importing it would do and every bad line and field; nothing is written until the
 * clerk imports a file without errors, and then all of it or none.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { toBase64Url } from '../../domain/bytes';
import { ApiFailure, post } from '../api';
import { count } from '../format';
import { t } from '../messages';
import { cpath } from '../session';

export interface PreviewBase<S> {
  encoding: string;
  rows: number;
  ignoredColumns: string[];
  errors: Array<{ line: number; field: string; message: string }>;
  sample: Array<S & { line: number }>;
}

export function CsvImport<S, P extends PreviewBase<S>, R>(props: {
  /** Below the community, e.g. '/households/import'; the preview is at `${path}/preview`. */
  path: string;
  template: string;
  templateName: string;
  sampleHeaders: ComponentChildren[];
  sampleCells: (row: S) => ComponentChildren[];
  plan: (preview: P) => string;
  done: (result: R) => string;
  after: ComponentChildren;
}) {
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<P | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const template = useMemo(
    () => URL.createObjectURL(new Blob([props.template], { type: 'text/csv;charset=utf-8' })),
    [props.template],
  );

  const choose = async (f: File) => {
    setDone(null);
    setFailure(null);
    setPreview(null);
    setBusy(true);
    try {
      const base64 = toBase64Url(new Uint8Array(await f.arrayBuffer()));
      setFile({ name: f.name, base64 });
      setPreview(await post<P>(cpath(`${props.path}/preview`), { file: base64 }));
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
      setDone(props.done(await post<R>(cpath(props.path), { file: file.base64 })));
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
    <>
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
        <a class="button-like" href={template} download={props.templateName}>
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
          {done} {props.after}
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
              {props.plan(preview)}
            </p>
          )}
          {preview.sample.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('import.line')}</th>
                  {props.sampleHeaders.map((h, i) => (
                    <th key={i}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    {props.sampleCells(r).map((c, i) => (
                      <td key={i}>{c}</td>
                    ))}
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
    </>
  );
}
