/**
 * Importing households from a CSV as property-management systems export it (components/csv-import).
 */
import type { Occupancy } from '../../domain/household';
import { HOUSEHOLD_CSV_TEMPLATE } from '../../domain/household-csv';
import { CsvImport, type PreviewBase } from '../components/csv-import';
import { count } from '../format';
import { t } from '../messages';
import { OCCUPANCY_KEYS } from './households-page';

interface Row {
  building: string;
  unit: string;
  room: string;
  occupancy: Occupancy;
  movedOut: boolean;
  arrears: boolean;
  externalId: string | null;
}

interface Preview extends PreviewBase<Row> {
  created: number;
  updated: number;
  unchanged: number;
  movedOut: number;
  suspendedCards: number;
}

interface Result {
  created: number;
  updated: number;
  unchanged: number;
  suspendedCards: number;
}

export function HouseholdImportPage() {
  return (
    <section class="page" data-testid="import-page">
      <h2>{t('import.heading')}</h2>
      <p class="hint">{t('import.explain')}</p>
      <CsvImport<Row, Preview, Result>
        path="/households/import"
        template={HOUSEHOLD_CSV_TEMPLATE}
        templateName="households-template.csv"
        sampleHeaders={[t('household.address'), t('household.occupancy'), t('household.movedOut')]}
        sampleCells={(r) => [
          `${r.building}-${r.unit}-${r.room}`,
          t(OCCUPANCY_KEYS[r.occupancy]),
          r.movedOut ? t('import.yes') : t('import.no'),
        ]}
        plan={(p) =>
          t('import.plan', {
            created: count(p.created),
            updated: count(p.updated),
            unchanged: count(p.unchanged),
            movedOut: count(p.movedOut),
            suspended: count(p.suspendedCards),
          })
        }
        done={(r) =>
          t('import.done', {
            created: count(r.created),
            updated: count(r.updated),
            unchanged: count(r.unchanged),
            suspended: count(r.suspendedCards),
          })
        }
        after={<a href="/office/households">{t('import.toList')}</a>}
      />
    </section>
  );
}
