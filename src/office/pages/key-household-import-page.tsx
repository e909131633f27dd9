/**
 * Importing the key-household change table (《重点户异动表》, procedure 4.2.5) the same way as the
 * household import (components/csv-import): template, preview with every bad line, all or nothing.
 */
import type { KeyHouseholdCategory } from '../../domain/key-household';
import { KEY_HOUSEHOLD_CSV_TEMPLATE } from '../../domain/key-household-csv';
import { CsvImport, type PreviewBase } from '../components/csv-import';
import { count } from '../format';
import { t } from '../messages';

interface Row {
  label: string;
  categories: KeyHouseholdCategory[];
  note: string;
}
interface Preview extends PreviewBase<Row> {
  set: number;
  removed: number;
}
interface Result {
  set: number;
  removed: number;
}

export function KeyHouseholdImportPage() {
  return (
    <section class="page" data-testid="kh-import-page">
      <h2>{t('khImport.heading')}</h2>
      <p class="hint">{t('khImport.explain')}</p>
      <CsvImport<Row, Preview, Result>
        path="/key-households/import"
        template={KEY_HOUSEHOLD_CSV_TEMPLATE}
        templateName="key-household-changes-template.csv"
        sampleHeaders={[t('kh.household'), t('kh.categories'), t('kh.note')]}
        sampleCells={(r) => [
          r.label,
          r.categories.length
            ? r.categories.map((c) => t(`category.${c}`)).join('、')
            : t('kh.action.removed'),
          r.note,
        ]}
        plan={(p) => t('khImport.plan', { set: count(p.set), removed: count(p.removed) })}
        done={(r) => t('khImport.done', { set: count(r.set), removed: count(r.removed) })}
        after={<a href="/office/key-households">{t('khImport.toList')}</a>}
      />
    </section>
  );
}
